"""The augmentation peer of bench/augment.ts: seed 003's augmentation (shifts of up to 10% of the
width and height, random horizontal flip) on a batch of 128 32x32x3 images, and the seed 003 net's
training step, in PyTorch on the CPU (Debian's python3-torch and python3-torchvision).

Two ways to augment a batch, both timed:
- per image, as a DataLoader's transform does it: RandomAffine(degrees=0, translate=(0.1, 0.1),
  bilinear) + RandomHorizontalFlip on each (3, 32, 32) tensor, then torch.stack (torchvision rounds
  the translation to whole pixels and fills with 0; Keras draws fractional shifts, fill 'nearest');
- batched: affine_grid + grid_sample (bilinear, border padding ~ Keras's 'nearest' fill) with a
  fractional shift and a flip folded into each image's 2x3 matrix.

Prints one JSON object with medians in milliseconds.
Usage: /usr/bin/python3 bench/torch_augment.py [--runs 30] [--steps 5] [--threads 2]
"""
import argparse, json, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision import transforms as T

p = argparse.ArgumentParser()
p.add_argument('--runs', type=int, default=30)
p.add_argument('--steps', type=int, default=5)
p.add_argument('--threads', type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
B, C, H, W = 128, 3, 32, 32


def median_ms(fn, runs):
    for _ in range(3):
        fn()
    t = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        t.append((time.perf_counter() - t0) * 1000)
    return statistics.median(t)


x = torch.rand(B, C, H, W)
per_image = T.Compose([
    T.RandomAffine(degrees=0, translate=(0.1, 0.1), interpolation=T.InterpolationMode.BILINEAR),
    T.RandomHorizontalFlip(),
])


def augment_per_image():
    return torch.stack([per_image(img) for img in x])


def augment_batched():
    # grid_sample's normalised coordinates span 2 over the image: a shift of s pixels is 2s/W
    shift = (torch.rand(B, 2) * 2 - 1) * 0.1 * 2
    flip = torch.where(torch.rand(B) < 0.5, -1.0, 1.0)
    theta = torch.zeros(B, 2, 3)
    theta[:, 0, 0] = flip
    theta[:, 1, 1] = 1
    theta[:, :, 2] = shift
    grid = F.affine_grid(theta, (B, C, H, W), align_corners=False)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)


def seed003():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(64 * 6 * 6, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))


model = seed003()
opt = torch.optim.RMSprop(model.parameters(), lr=1e-4, alpha=0.9, eps=1e-7)
y = torch.randint(0, 10, (B,))


def step():
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()


out = {
    'torch': torch.__version__, 'torchvision': torchvision.__version__, 'threads': torch.get_num_threads(),
    'per_image_ms': median_ms(augment_per_image, a.runs),
    'batched_ms': median_ms(augment_batched, a.runs),
    'step_ms': median_ms(step, a.steps),
}
print(json.dumps(out))
