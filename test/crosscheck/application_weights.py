#!/usr/bin/python3
"""Weight files in the layout of Keras's published application weights, and the outputs an
independent implementation computes from them.

Layout (as keras/src/legacy/saving/legacy_h5_format.py save_weights_to_hdf5_group writes it, and
as vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 & co. are): root attributes layer_names
(every layer of model.layers, in Keras's order), backend, keras_version; one group per layer with
a weight_names attribute ('block1_conv1/kernel:0', ...) and the datasets at those nested names.
Weights are random (NumPy's legacy RandomState, stable across NumPy versions), scaled so that
activations stay of order one through the whole network.

usage:
  application_weights.py write NET SIZE ALPHA SEED OUT.h5 [--split K] [--reverse] [--drop LAYER] [--float64]
      writes the file, prints {"checksum", "layers"}. --split K stores the name lists as Keras does
      past HDF5's 64 KB header limit (layer_names0, layer_names1, ... of K names each, weight_names
      likewise); --reverse lists the layers in reverse order (for matching by name); --drop
      leaves out one layer's group (a damaged file); --float64 stores the weights as float64.
  application_weights.py expect NET SIZE ALPHA SEED           prints the fixture JSON: input,
      output, checksum; the output computed by PyTorch (vgg16, resnet50) or NumPy (mobilenet_v2,
      inception_v3, with numpy_layers.py), in float64.
NET: vgg16 | resnet50 | mobilenet_v2 | inception_v3 (no top); ALPHA is used by mobilenet_v2 only.
write needs python3-numpy and python3-h5py; expect also python3-torch (for vgg16 and resnet50).
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_application_nets import build  # noqa: E402


def random_weights(net, seed):
    """{layer name: [arrays]} in the order of net.layers (creation order, hence seed-stable)."""
    rng = np.random.RandomState(seed)
    out = {}
    for layer in net.layers:
        arrays = []
        for name, shape in layer["weights"]:
            kind = name.split("/")[-1].split(":")[0]
            if kind in ("kernel", "depthwise_kernel"):
                fan_in = int(np.prod(shape[:-1])) if kind == "kernel" else shape[0] * shape[1]
                a = rng.standard_normal(shape) * np.sqrt((2.0 if layer["cls"] != "Dense" else 1.0) / fan_in)
            elif kind in ("gamma", "moving_variance"):
                a = rng.uniform(0.5, 1.5, shape)
            else:  # bias, beta, moving_mean
                a = rng.standard_normal(shape) * 0.1
            arrays.append(a.astype(np.float32))
        out[layer["name"]] = arrays
    return out


def checksum(weights):
    return float(sum(float(np.abs(a.astype(np.float64)).sum()) for arrays in weights.values() for a in arrays))


def set_names(node, key, names, split):
    """Keras's save_attributes_to_hdf5_group: one attribute, or key0, key1, ... when too long."""
    encoded = [n.encode("utf8") for n in names]
    if not split or len(encoded) <= split:
        node.attrs[key] = encoded
        return
    for i in range(0, len(encoded), split):
        node.attrs["%s%d" % (key, i // split)] = encoded[i:i + split]


def write(path, net, order, weights, split=0, drop=None, dtype=np.float32):
    import h5py

    with h5py.File(path, "w") as f:
        set_names(f, "layer_names", order, split)
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.2.4"
        by_name = {l["name"]: l for l in net.layers}
        for n in order:
            if n == drop:
                continue
            g = f.create_group(n)
            names = [w for w, _ in by_name[n]["weights"]]
            set_names(g, "weight_names", names, split)
            for w, a in zip(names, weights[n]):
                g.create_dataset(w, data=a.astype(dtype))


def forward_numpy(net, out, order, weights, x):
    from numpy_layers import apply_layer

    by_name = {l["name"]: l for l in net.layers}
    values = {}
    for n in order:
        layer, w = by_name[n], [a.astype(np.float64) for a in weights[n]]
        if layer["cls"] == "InputLayer":
            values[n] = x
            continue
        ins = [values[i] for i in layer["inputs"]]
        if layer["cls"] == "DepthwiseConv2D":
            # a per-channel convolution: each channel with its own (kh, kw) kernel
            cfg = dict(layer["cfg"], filters=1)
            k = w[0]
            values[n] = np.concatenate([apply_layer("Conv2D", cfg, [k[:, :, c:c + 1, :]], [ins[0][..., c:c + 1]])
                                        for c in range(ins[0].shape[-1])], axis=-1)
        elif layer["cls"] == "ReLU":
            values[n] = np.clip(ins[0], 0, layer["cfg"]["max_value"])
        else:
            values[n] = apply_layer(layer["cls"], layer["cfg"], w, ins)
    return values[out]


def forward_torch(net, out, order, weights, x):
    import torch
    import torch.nn.functional as F

    def tf_pad(t, k, s, fill):
        """TensorFlow's 'same' padding on NCHW: total max((ceil(n/s)-1)*s + k - n, 0), less before."""
        pads = []
        for n, kk, ss in ((t.shape[3], k[1], s[1]), (t.shape[2], k[0], s[0])):
            total = max((-(-n // ss) - 1) * ss + kk - n, 0)
            pads += [total // 2, total - total // 2]
        return F.pad(t, pads, value=fill)

    by_name = {l["name"]: l for l in net.layers}
    values = {}
    for n in order:
        layer = by_name[n]
        cls, cfg = layer["cls"], layer["cfg"]
        w = [torch.from_numpy(a.astype(np.float64)) for a in weights[n]]
        ins = [values[i] for i in layer["inputs"]]
        if cls == "InputLayer":
            y = torch.from_numpy(x).permute(0, 3, 1, 2)  # NHWC -> NCHW
        elif cls == "Conv2D":
            k, s = cfg["kernel_size"], cfg.get("strides", (1, 1))
            t = tf_pad(ins[0], k, s, 0.0) if cfg.get("padding") == "same" else ins[0]
            y = F.conv2d(t, w[0].permute(3, 2, 0, 1), w[1] if len(w) > 1 else None, stride=s)
            if cfg.get("activation") == "relu":
                y = F.relu(y)
        elif cls == "BatchNormalization":
            gamma = w[0] if cfg.get("scale", True) else None
            beta, mean, var = w[-3], w[-2], w[-1]
            y = F.batch_norm(ins[0], mean, var, gamma, beta, training=False, eps=cfg["epsilon"])
        elif cls == "Activation":
            y = F.relu(ins[0])
        elif cls == "MaxPooling2D":
            k, s = cfg["pool_size"], cfg["strides"]
            t = tf_pad(ins[0], k, s, -float("inf")) if cfg.get("padding") == "same" else ins[0]
            y = F.max_pool2d(t, k, s)
        elif cls == "ZeroPadding2D":
            (t_, b_), (l_, r_) = cfg["padding"]
            y = F.pad(ins[0], [l_, r_, t_, b_])
        elif cls == "Add":
            y = ins[0] + ins[1]
        else:
            raise ValueError("layer class %s is not implemented by the PyTorch path" % cls)
        values[n] = y
    return values[out].permute(0, 2, 3, 1).numpy()  # back to NHWC


def main():
    mode, net_name, size, alpha, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    net, out, order = build(net_name, size, alpha)
    weights = random_weights(net, seed)
    if mode == "write":
        flags = sys.argv[7:]
        split = int(flags[flags.index("--split") + 1]) if "--split" in flags else 0
        drop = flags[flags.index("--drop") + 1] if "--drop" in flags else None
        dtype = np.float64 if "--float64" in flags else np.float32
        write(sys.argv[6], net, order[::-1] if "--reverse" in flags else order, weights, split, drop, dtype)
        json.dump({"checksum": checksum(weights), "layers": len(order)}, sys.stdout)
        return
    x = np.random.RandomState(seed + 1).uniform(-1, 1, (2, size, size, 3)).astype(np.float32).astype(np.float64)
    oracle = "torch" if net_name in ("vgg16", "resnet50") else "numpy"
    y = (forward_torch if oracle == "torch" else forward_numpy)(net, out, order, weights, x)
    json.dump({"net": net_name, "size": size, "alpha": alpha, "seed": seed, "oracle": oracle, "checksum": checksum(weights),
               "layers": order, "input": {"shape": list(x.shape), "data": [float(np.format_float_positional(v)) for v in x.astype(np.float32).ravel()]},
               "output": {"shape": list(y.shape), "data": [float("%.8g" % v) for v in y.ravel()]}}, sys.stdout)


if __name__ == "__main__":
    main()
