"""The peer of bench/applications.ts: torchvision's ResNet50, MobileNetV2 and InceptionV3 (random
weights, 1,000 classes) on PyTorch (Debian's python3-torch) on the CPU: images per second of
inference (eval mode, inference_mode) and milliseconds per training step (train mode, SGD with
momentum), median of --runs after one warm-up.

Prints one JSON object: {net: {"images_per_s", "train_ms_median", "inference_ms", "train_ms"}, "torch", "threads", "blas"}.
Usage: /usr/bin/python3 bench/torch_apps.py --nets resnet50:224,mobilenetv2:224,inceptionv3:190 [--runs 3]
"""
import argparse, json, os, re, statistics, time
import torch
import torch.nn as nn
import torchvision
from torchvision import models

p = argparse.ArgumentParser()
p.add_argument('--nets', default='resnet50:224,mobilenetv2:224,inceptionv3:190')
p.add_argument('--runs', type=int, default=3)
p.add_argument('--infer-batch', type=int, default=32)
p.add_argument('--train-batch', type=int, default=32)
p.add_argument('--threads', type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)

BUILD = {
    'resnet50': lambda: models.resnet50(weights=None),
    'mobilenetv2': lambda: models.mobilenet_v2(weights=None),
    # Keras's InceptionV3 has no auxiliary classifier and takes inputs as they are
    'inceptionv3': lambda: models.inception_v3(weights=None, aux_logits=False, init_weights=False, transform_input=False),
}


def timed(runs, fn):
    out = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        fn()
        if i > 0:
            out.append((time.perf_counter() - t0) * 1000)
    return out


config = torch.__config__.show()
blas = re.search(r'BLAS_INFO=([^,\s]+)', config)
out = {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'threads': torch.get_num_threads(),
       # BLAS_INFO=generic means the system libblas.so.3, which Debian's alternatives resolve
       'blas': '%s (libblas.so.3 -> %s), oneDNN %s' % (blas.group(1) if blas else 'unknown',
                                                       os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3'),
                                                       'on' if torch.backends.mkldnn.is_available() else 'off')}
for spec in a.nets.split(','):
    name, size = spec.split(':')
    size = int(size)
    model = BUILD[name]()
    x = torch.rand(a.infer_batch, 3, size, size)
    model.eval()

    def infer():
        with torch.inference_mode():
            model(x)
    inference = timed(a.runs, infer)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    xt = x if a.train_batch == a.infer_batch else torch.rand(a.train_batch, 3, size, size)
    y = torch.randint(0, 1000, (a.train_batch,))

    def step():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xt), y)
        loss.backward()
        opt.step()
    train = timed(a.runs, step)
    out[name] = {'inference_ms': inference, 'train_ms': train,
                 'images_per_s': a.infer_batch * 1000 / statistics.median(inference),
                 'train_ms_median': statistics.median(train)}
print(json.dumps(out))
