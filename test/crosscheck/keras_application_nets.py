"""Keras's application networks as plain layer graphs, written from keras/src/applications/
(vgg16.py, resnet.py, mobilenet_v2.py, inception_v3.py), not from tatami: each layer's name,
Keras class, config (Keras's keys), inputs, and the weights Keras gives it (names and shapes in
Keras's saving order: trainable, then non-trainable). keras_layer_order() sorts the layers as
Keras's Functional model lists them (map_graph: by depth, then by traversal order), which is the
order of layer_names in Keras's weight files and the order in which load_weights matches them.
"""


class Net:
    def __init__(self, size, channels=3):
        self.layers = []  # dicts: name, cls, cfg, inputs, weights [(name, shape)], out (H, W, C)
        self.shape = {"input_1": (size, size, channels)}
        self.layers.append({"name": "input_1", "cls": "InputLayer", "cfg": {}, "inputs": [], "weights": []})
        self.counts = {}

    def auto(self, base):
        """Keras's automatic names: conv2d, conv2d_1, conv2d_2, ..."""
        n = self.counts.get(base, 0)
        self.counts[base] = n + 1
        return base if n == 0 else "%s_%d" % (base, n)

    def add(self, cls, cfg, inputs, name=None, auto=None):
        name = name or self.auto(auto)
        inputs = inputs if isinstance(inputs, list) else [inputs]
        h, w, c = self.shape[inputs[0]]
        weights, out = [], (h, w, c)
        if cls in ("Conv2D", "DepthwiseConv2D", "MaxPooling2D", "AveragePooling2D"):
            k = cfg.get("kernel_size", cfg.get("pool_size"))
            s = cfg.get("strides", (1, 1))
            if cls == "MaxPooling2D" or cls == "AveragePooling2D":
                cfg.setdefault("strides", k)
                s = cfg["strides"]
            if cfg.get("padding", "valid") == "same":
                oh, ow = -(-h // s[0]), -(-w // s[1])
            else:
                oh, ow = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
            co = cfg["filters"] if cls == "Conv2D" else c
            out = (oh, ow, co)
            if cls == "Conv2D":
                weights = [("kernel", (k[0], k[1], c, co))] + ([("bias", (co,))] if cfg.get("use_bias", True) else [])
            elif cls == "DepthwiseConv2D":
                weights = [("depthwise_kernel", (k[0], k[1], c, 1))] + ([("bias", (c,))] if cfg.get("use_bias", True) else [])
        elif cls == "BatchNormalization":
            if cfg.get("scale", True):
                weights.append(("gamma", (c,)))
            if cfg.get("center", True):
                weights.append(("beta", (c,)))
            weights += [("moving_mean", (c,)), ("moving_variance", (c,))]
        elif cls == "ZeroPadding2D":
            (t, b), (l, r) = cfg["padding"]
            out = (h + t + b, w + l + r, c)
        elif cls == "Concatenate":
            out = (h, w, sum(self.shape[i][2] for i in inputs))
        elif cls in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
            out = (1, 1, c)
        elif cls == "Dense":
            weights = [("kernel", (c, cfg["units"])), ("bias", (cfg["units"],))]
            out = (1, 1, cfg["units"])
        self.layers.append({"name": name, "cls": cls, "cfg": cfg, "inputs": inputs,
                            "weights": [("%s/%s:0" % (name, n), s) for n, s in weights]})
        self.shape[name] = out
        return name


def vgg16(size):
    net = Net(size)
    x = "input_1"
    for b, (n, f) in enumerate([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)], 1):
        for i in range(1, n + 1):
            x = net.add("Conv2D", {"filters": f, "kernel_size": (3, 3), "padding": "same", "activation": "relu"}, x,
                        "block%d_conv%d" % (b, i))
        x = net.add("MaxPooling2D", {"pool_size": (2, 2), "strides": (2, 2)}, x, "block%d_pool" % b)
    return net, x


def resnet50(size):
    net = Net(size)

    def bn(x, name):
        return net.add("BatchNormalization", {"epsilon": 1.001e-5}, x, name)

    def block1(x, filters, stride=1, conv_shortcut=True, name=""):
        if conv_shortcut:
            sc = net.add("Conv2D", {"filters": 4 * filters, "kernel_size": (1, 1), "strides": (stride, stride)}, x, name + "_0_conv")
            sc = bn(sc, name + "_0_bn")
        else:
            sc = x
        y = net.add("Conv2D", {"filters": filters, "kernel_size": (1, 1), "strides": (stride, stride)}, x, name + "_1_conv")
        y = net.add("Activation", {"activation": "relu"}, bn(y, name + "_1_bn"), name + "_1_relu")
        y = net.add("Conv2D", {"filters": filters, "kernel_size": (3, 3), "padding": "same"}, y, name + "_2_conv")
        y = net.add("Activation", {"activation": "relu"}, bn(y, name + "_2_bn"), name + "_2_relu")
        y = net.add("Conv2D", {"filters": 4 * filters, "kernel_size": (1, 1)}, y, name + "_3_conv")
        y = bn(y, name + "_3_bn")
        y = net.add("Add", {}, [sc, y], name + "_add")
        return net.add("Activation", {"activation": "relu"}, y, name + "_out")

    def stack1(x, filters, blocks, stride1=2, name=""):
        x = block1(x, filters, stride=stride1, name=name + "_block1")
        for i in range(2, blocks + 1):
            x = block1(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
        return x

    x = net.add("ZeroPadding2D", {"padding": ((3, 3), (3, 3))}, "input_1", "conv1_pad")
    x = net.add("Conv2D", {"filters": 64, "kernel_size": (7, 7), "strides": (2, 2)}, x, "conv1_conv")
    x = net.add("Activation", {"activation": "relu"}, bn(x, "conv1_bn"), "conv1_relu")
    x = net.add("ZeroPadding2D", {"padding": ((1, 1), (1, 1))}, x, "pool1_pad")
    x = net.add("MaxPooling2D", {"pool_size": (3, 3), "strides": (2, 2)}, x, "pool1_pool")
    x = stack1(x, 64, 3, stride1=1, name="conv2")
    x = stack1(x, 128, 4, name="conv3")
    x = stack1(x, 256, 6, name="conv4")
    return net, stack1(x, 512, 3, name="conv5")


def make_divisible(v, divisor, min_value=None):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def mobilenet_v2(size, alpha):
    net = Net(size)

    def bn(x, name):
        return net.add("BatchNormalization", {"epsilon": 1e-3, "momentum": 0.999}, x, name)

    def relu6(x, name):
        return net.add("ReLU", {"max_value": 6.0}, x, name)

    def block(inputs, expansion, stride, filters, block_id):
        in_channels = net.shape[inputs][2]
        pointwise = make_divisible(int(filters * alpha), 8)
        x, prefix = inputs, "block_%d_" % block_id
        if block_id:
            x = net.add("Conv2D", {"filters": expansion * in_channels, "kernel_size": (1, 1), "padding": "same", "use_bias": False}, x, prefix + "expand")
            x = relu6(bn(x, prefix + "expand_BN"), prefix + "expand_relu")
        else:
            prefix = "expanded_conv_"
        if stride == 2:
            h, w, _ = net.shape[x]  # imagenet_utils.correct_pad
            x = net.add("ZeroPadding2D", {"padding": ((1 - (1 - h % 2), 1), (1 - (1 - w % 2), 1))}, x, prefix + "pad")
        x = net.add("DepthwiseConv2D", {"kernel_size": (3, 3), "strides": (stride, stride), "use_bias": False,
                                        "padding": "same" if stride == 1 else "valid"}, x, prefix + "depthwise")
        x = relu6(bn(x, prefix + "depthwise_BN"), prefix + "depthwise_relu")
        x = net.add("Conv2D", {"filters": pointwise, "kernel_size": (1, 1), "padding": "same", "use_bias": False}, x, prefix + "project")
        x = bn(x, prefix + "project_BN")
        if in_channels == pointwise and stride == 1:
            return net.add("Add", {}, [inputs, x], prefix + "add")
        return x

    x = net.add("Conv2D", {"filters": make_divisible(32 * alpha, 8), "kernel_size": (3, 3), "strides": (2, 2), "padding": "same",
                           "use_bias": False}, "input_1", "Conv1")
    x = relu6(bn(x, "bn_Conv1"), "Conv1_relu")
    specs = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6), (64, 1, 6),
             (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6)]
    for i, (filters, stride, expansion) in enumerate(specs):
        x = block(x, expansion, stride, filters, i)
    last = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = net.add("Conv2D", {"filters": last, "kernel_size": (1, 1), "use_bias": False}, x, "Conv_1")
    return net, relu6(bn(x, "Conv_1_bn"), "out_relu")


def inception_v3(size):
    net = Net(size)

    def cbn(x, filters, rows, cols, padding="same", strides=(1, 1)):
        x = net.add("Conv2D", {"filters": filters, "kernel_size": (rows, cols), "strides": strides, "padding": padding,
                               "use_bias": False}, x, auto="conv2d")
        x = net.add("BatchNormalization", {"scale": False, "epsilon": 1e-3}, x, auto="batch_normalization")
        return net.add("Activation", {"activation": "relu"}, x, auto="activation")

    def avg(x):
        return net.add("AveragePooling2D", {"pool_size": (3, 3), "strides": (1, 1), "padding": "same"}, x, auto="average_pooling2d")

    def maxp(x):
        return net.add("MaxPooling2D", {"pool_size": (3, 3), "strides": (2, 2)}, x, auto="max_pooling2d")

    def concat(xs, name=None):
        return net.add("Concatenate", {"axis": 3}, xs, name, auto="concatenate")

    x = cbn("input_1", 32, 3, 3, strides=(2, 2), padding="valid")
    x = cbn(x, 32, 3, 3, padding="valid")
    x = cbn(x, 64, 3, 3)
    x = maxp(x)
    x = cbn(x, 80, 1, 1, padding="valid")
    x = cbn(x, 192, 3, 3, padding="valid")
    x = maxp(x)
    for i, pool_filters in enumerate([32, 64, 64]):  # mixed 0, 1, 2: 35 x 35
        b1 = cbn(x, 64, 1, 1)
        b5 = cbn(cbn(x, 48, 1, 1), 64, 5, 5)
        b3 = cbn(cbn(cbn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
        bp = cbn(avg(x), pool_filters, 1, 1)
        x = concat([b1, b5, b3, bp], "mixed%d" % i)
    b3 = cbn(x, 384, 3, 3, strides=(2, 2), padding="valid")  # mixed 3: 17 x 17
    bd = cbn(cbn(cbn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2), padding="valid")
    x = concat([b3, bd, maxp(x)], "mixed3")
    for i, f in enumerate([128, 160, 160, 192]):  # mixed 4, 5, 6, 7
        b1 = cbn(x, 192, 1, 1)
        b7 = cbn(cbn(cbn(x, f, 1, 1), f, 1, 7), 192, 7, 1)
        bd = cbn(cbn(cbn(cbn(cbn(x, f, 1, 1), f, 7, 1), f, 1, 7), f, 7, 1), 192, 1, 7)
        bp = cbn(avg(x), 192, 1, 1)
        x = concat([b1, b7, bd, bp], "mixed%d" % (4 + i))
    b3 = cbn(cbn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")  # mixed 8: 8 x 8
    b7 = cbn(cbn(cbn(cbn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, strides=(2, 2), padding="valid")
    x = concat([b3, b7, maxp(x)], "mixed8")
    for i in range(2):  # mixed 9, 10
        b1 = cbn(x, 320, 1, 1)
        b3 = cbn(x, 384, 1, 1)
        b3 = concat([cbn(b3, 384, 1, 3), cbn(b3, 384, 3, 1)], "mixed9_%d" % i)
        bd = cbn(cbn(x, 448, 1, 1), 384, 3, 3)
        bd = concat([cbn(bd, 384, 1, 3), cbn(bd, 384, 3, 1)])
        bp = cbn(avg(x), 192, 1, 1)
        x = concat([b1, b3, bd, bp], "mixed%d" % (9 + i))
    return net, x


def keras_layer_order(net, output):
    """Keras's Functional layer order (function.py map_graph): layers sorted by depth from the
    output (deepest, i.e. the input, first), ties broken by the order in which a depth-first walk
    from the output, visiting each layer's inputs in order, first reaches them."""
    by_name = {l["name"]: l for l in net.layers}
    index, post = {}, []

    def visit(name):
        if name in index:
            return
        index[name] = len(index)
        for i in by_name[name]["inputs"]:
            visit(i)
        post.append(name)

    visit(output)
    depth = {output: 0}
    for name in reversed(post):
        d = depth.setdefault(name, 0)
        for i in by_name[name]["inputs"]:
            depth[i] = max(depth.get(i, 0), d + 1)
    return sorted(post, key=lambda n: (-depth[n], index[n]))


NETS = {"vgg16": vgg16, "resnet50": resnet50, "inception_v3": inception_v3}


def build(name, size, alpha=1.0):
    """(Net, output layer name, layer names in Keras's order) of a network without its top."""
    net, out = mobilenet_v2(size, alpha) if name == "mobilenet_v2" else NETS[name](size)
    return net, out, keras_layer_order(net, out)
