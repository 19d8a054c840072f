# Mistake: lines the shapes up on the LEFT (pads with 1s on the right).
def broadcast_shape(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    padded = [tuple(s) + (1,) * (ndim - len(s)) for s in shapes]
    result = []
    for sizes in zip(*padded, strict=True):
        big = {n for n in sizes if n != 1}
        if len(big) > 1:
            raise ValueError("incompatible")
        result.append(big.pop() if big else 1)
    return tuple(result)
