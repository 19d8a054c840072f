# Mistake: F.one_hot is fine, but it returns int64, not floats.
import torch.nn.functional as F


def one_hot(labels, num_classes):
    return F.one_hot(labels, num_classes)
