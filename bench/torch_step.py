"""The benchmark peer: PyTorch (Debian's python3-torch) training the same seed models on the CPU.

Cases are NAME@BATCH (a training step) or predict:NAME@BATCH (images per second of inference at
that batch). Prints one JSON object: {"cases": {case: {"median_ms": ..., "runs": [...]}}, "torch":
version, "threads": n, "cpu": model, "blas": [loaded BLAS libraries], "blas_info": ..., "env": {...}}.
The caller (bench/train_step.ts) removes OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE from this process's
environment so that OpenBLAS picks its own kernels for the CPU; "env" shows what this process saw.
Usage: /usr/bin/python3 bench/torch_step.py [--steps 10] [--threads 2] [--images 2000] CASE...
"""
import argparse, json, os, re, statistics, time
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument('--steps', type=int, default=10)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--images', type=int, default=2000)
p.add_argument('--clock', choices=['wall', 'cpu'], default='wall')  # cpu: process CPU time per training step
p.add_argument('cases', nargs='*', default=['mnist-cnn@128'])
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def adadelta(ps):
    return torch.optim.Adadelta(ps, lr=1.0, rho=0.95, eps=1e-7)


def adam(ps):
    return torch.optim.Adam(ps, lr=1e-3, eps=1e-7)


def rmsprop(ps):  # Keras's RMSprop defaults
    return torch.optim.RMSprop(ps, lr=1e-3, alpha=0.9, eps=1e-7)


MODELS = {
    'mnist-cnn': lambda: (nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10)), (1, 28, 28), adadelta),
    'mnist-tutorial-cnn': lambda: (nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(), nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10)), (1, 28, 28), adam),
    'mnist-mlp': lambda: (nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10)), (784,), adam),
    'cifar10-cnn': lambda: (nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(4096, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10)), (3, 32, 32), rmsprop),
    'cifar10-deep-cnn': lambda: (nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(2304, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10)), (3, 32, 32), rmsprop),
    'lenet': lambda: (nn.Sequential(
        nn.Conv2d(1, 20, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 50, 5, padding=2), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2450, 500), nn.ReLU(), nn.Linear(500, 10)), (1, 28, 28), adam),
}


def train(name, batch):
    clock = time.process_time if a.clock == 'cpu' else time.perf_counter
    model, shape, opt_fn = MODELS[name]()
    opt = opt_fn(model.parameters())
    x = torch.rand(batch, *shape)
    y = torch.randint(0, 10, (batch,))
    runs = []
    for i in range(a.steps + 2):
        t0 = clock()
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        if i >= 2:
            runs.append((clock() - t0) * 1000)
    return {'median_ms': statistics.median(runs), 'runs': runs}


def predict(name, batch):
    """Milliseconds to predict a.images images in batches (eval mode, no autograd), 3 runs after one warm-up."""
    model, shape, _ = MODELS[name]()
    model.eval()
    x = torch.rand(a.images, *shape)
    runs = []
    with torch.inference_mode():
        for i in range(4):
            t0 = time.perf_counter()
            for s in range(0, a.images, batch):
                model(x[s:s + batch]).softmax(1)
            if i >= 1:
                runs.append((time.perf_counter() - t0) * 1000)
    return {'median_ms': statistics.median(runs), 'runs': runs, 'images': a.images}


def cpu_model():
    with open('/proc/cpuinfo') as f:
        m = re.search(r'model name\s*:\s*(.*)', f.read())
    return m.group(1).strip() if m else 'unknown'


def loaded_blas():
    """BLAS/LAPACK shared objects mapped into this process (after a matmul has run)."""
    torch.randn(64, 64) @ torch.randn(64, 64)
    libs = set()
    with open('/proc/self/maps') as f:
        for line in f:
            path = line.split()[-1]
            if re.search(r'blas|lapack|mkl', os.path.basename(path)):
                libs.add(os.path.realpath(path))
    return sorted(libs)


def blas_info():
    m = re.search(r'BLAS_INFO=([^,]*)', torch.__config__.show())
    return m.group(1) if m else 'unknown'


out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'cpu': cpu_model(),
       'blas': loaded_blas(), 'blas_info': blas_info(),
       'env': {k: os.environ.get(k, '(unset)') for k in ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS']},
       'cases': {}}
for case in a.cases:
    kind, _, rest = case.rpartition(':')
    name, _, batch = rest.partition('@')
    out['cases'][case] = (predict if kind == 'predict' else train)(name, int(batch))
print(json.dumps(out))
