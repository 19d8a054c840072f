# Mistake: pads with 1s on the left, but then demands that the sizes the arrays really have
# are equal on every axis: an explicit size-1 axis does not stretch.
def broadcast_shape(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    result = []
    for axis in range(ndim):
        real = [s[len(s) - ndim + axis] for s in shapes if len(s) - ndim + axis >= 0]
        if len(set(real)) > 1:
            raise ValueError("sizes differ")
        result.append(real[0])
    return tuple(result)
