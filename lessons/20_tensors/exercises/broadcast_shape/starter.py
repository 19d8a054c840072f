"""Predict the shape of a broadcast, by hand.

broadcast_shape((8, 1, 6, 1), (7, 1, 5))  ->  (8, 7, 6, 5)
broadcast_shape((5, 3), (5,))             ->  ValueError

Rules (from the lesson):
  1. line the shapes up on the RIGHT (pad shorter shapes with 1s on the left);
  2. on every axis, a size of 1 stretches to match the other sizes;
  3. any other mismatch is an error.
Do not call np.broadcast_shapes or build arrays: work on the tuples.
"""


def broadcast_shape(*shapes):
    """Return the broadcast shape of `shapes` (tuples of ints) as a tuple of ints.

    Raise ValueError if the shapes cannot be broadcast together.
    """
    # TODO 1: find the largest number of dimensions among the shapes.
    # TODO 2: pad each shape with 1s on the left so that all have that length.
    # TODO 3: go through the axes; on each, collect the sizes that are not 1.
    #         More than one distinct such size -> raise ValueError(...).
    #         Otherwise the result's size is that size (or 1 if every size is 1).
    # TODO 4: return the result as a tuple.
    raise NotImplementedError("broadcast_shape: fill in the TODOs")


if __name__ == "__main__":
    # Press Run to try your function on a few shapes.
    import numpy as np

    examples = [((3, 4), (4,)), ((8, 1, 6, 1), (7, 1, 5)), ((2, 1), (1, 3), (3,)),
                ((5, 3), (5,)), ((), (2, 2))]
    for shapes in examples:
        try:
            mine = broadcast_shape(*shapes)
        except ValueError as exc:
            mine = f"ValueError ({exc})"
        try:
            numpy_says = np.broadcast_shapes(*shapes)
        except ValueError:
            numpy_says = "ValueError"
        print(f"{str(shapes):<28} yours: {str(mine):<20} numpy: {numpy_says}")
