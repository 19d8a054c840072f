"""Reference solution: the broadcast shape of several shapes, computed by hand."""


def broadcast_shape(*shapes):
    """The shape of the result of an element-wise operation on arrays of these shapes."""
    ndim = max((len(s) for s in shapes), default=0)
    # Align on the right: pad every shape with 1s on the left.
    padded = [(1,) * (ndim - len(s)) + tuple(int(n) for n in s) for s in shapes]
    result = []
    for axis, sizes in enumerate(zip(*padded, strict=True)):
        big = {n for n in sizes if n != 1}
        if len(big) > 1:
            raise ValueError(f"shapes {shapes} cannot be broadcast: axis {axis} has sizes "
                             f"{sorted(big)}")
        result.append(big.pop() if big else 1)
    return tuple(result)


if __name__ == "__main__":
    for shapes in [((3, 4), (4,)), ((8, 1, 6, 1), (7, 1, 5)), ((2, 1), (1, 3), (3,)),
                   ((5, 3), (5,))]:
        try:
            print(shapes, "->", broadcast_shape(*shapes))
        except ValueError as exc:
            print(shapes, "-> ValueError:", exc)
