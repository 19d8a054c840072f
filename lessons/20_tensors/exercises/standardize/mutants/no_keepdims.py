# Mistake: forgets keepdims, so the (reduced) mean lines up with the LAST axis of X.
def standardize(X, axis=0, eps=1e-8):
    mean = X.mean(axis=axis)
    std = X.std(axis=axis)
    return (X - mean) / (std + eps)
