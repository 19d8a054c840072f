# Mistake: F.one_hot without num_classes guesses it as labels.max() + 1.
import torch.nn.functional as F


def one_hot(labels, num_classes):
    return F.one_hot(labels).float()
