# Mistake: always standardises columns (axis 0), whatever axis is asked for.
def standardize(X, axis=0, eps=1e-8):
    mean = X.mean(axis=0, keepdims=True)
    std = X.std(axis=0, keepdims=True)
    return (X - mean) / (std + eps)
