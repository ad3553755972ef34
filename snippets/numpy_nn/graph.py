"""Kipf and Welling's graph convolution in NumPy: average over neighbours, then
one shared W."""

# --8<-- [start:normalize]
import numpy as np


def normalize_adjacency(a):
    """The renormalized adjacency of Kipf and Welling (2017):
    D^-1/2 (A + I) D^-1/2.

    D is the diagonal of row sums of A + I (the degrees, self-loop included),
    so every degree is at least 1 and the square root never divides by zero.

    Args:
        a: adjacency matrix (num_nodes, num_nodes), non-negative, bool, int or
            float; a[i, j] != 0 is an edge from i to j (symmetric for an
            undirected graph).

    Returns:
        float array (num_nodes, num_nodes), float64 unless ``a`` is floating.
    """
    a = np.asarray(a)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError("graph_conv expects a square adjacency matrix "
                         f"(num_nodes, num_nodes); received shape {a.shape}")
    real = a.dtype == np.bool_ or np.issubdtype(a.dtype, np.number)
    if not real or np.issubdtype(a.dtype, np.complexfloating):
        raise ValueError("graph_conv expects a real (bool, int or float) "
                         f"adjacency matrix; received dtype {a.dtype}")
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError("graph_conv expects finite, non-negative edge "
                         f"weights; received min {a.min()}, max {a.max()}")
    a_tilde = a + np.eye(len(a), dtype=a.dtype)
    d_inv_sqrt = 1.0 / np.sqrt(a_tilde.sum(axis=1))  # degree >= 1 (self-loop)
    return d_inv_sqrt[:, None] * a_tilde * d_inv_sqrt[None, :]
# --8<-- [end:normalize]


# --8<-- [start:graph_conv]
import numpy as np


def graph_conv(a, x, w):
    """One graph convolution: Â X W with Â = D^-1/2 (A + I) D^-1/2 (no bias,
    no activation).

    Args:
        a: adjacency matrix (num_nodes, num_nodes).
        x: node features (num_nodes, d_in), or (batch, num_nodes, d_in) for
            several signals on one graph.
        w: weights (d_in, d_out), shared by every node.

    Returns:
        New node features (..., num_nodes, d_out).
    """
    a_hat, x, w = _check_graph_conv(a, x, w)
    return a_hat @ x @ w


def graph_conv_backward(dy, a, x, w):
    """Gradients of ``graph_conv`` w.r.t. x and w (the graph is data, not a
    parameter).

    Args:
        dy: gradient w.r.t. the output (..., num_nodes, d_out).
        a, x, w: the forward's inputs.

    Returns:
        (dx, dw): dx (..., num_nodes, d_in) and dw (d_in, d_out), summed
        over any batch axes.
    """
    a_hat, x, w = _check_graph_conv(a, x, w)
    dy = np.asarray(dy)
    expected = x.shape[:-1] + (w.shape[1],)
    if dy.shape != expected:
        raise ValueError(f"graph_conv backward expects dy of shape "
                         f"{expected}; received shape {dy.shape}")
    if not np.all(np.isfinite(dy)):
        raise ValueError("graph_conv backward expects finite values in dy; "
                         "received NaN or inf")
    a_hat_t_dy = a_hat.T @ dy  # Â^T: Â is symmetric only if undirected
    dx = a_hat_t_dy @ w.T
    # w is shared by every node (and signal): its gradient sums over them all
    dw = x.reshape(-1, x.shape[-1]).T @ a_hat_t_dy.reshape(-1, w.shape[1])
    return dx, dw


def _check_graph_conv(a, x, w):
    """(Â, x, w) after checking dtypes, shapes and finite values."""
    x, w = np.asarray(x), np.asarray(w)
    for name, arr in (("x", x), ("w", w)):
        if not np.issubdtype(arr.dtype, np.floating):
            raise ValueError(f"graph_conv expects {name} with a floating-"
                             f"point dtype; received dtype {arr.dtype}")
    if x.ndim < 2:
        raise ValueError("graph_conv expects x of shape (..., num_nodes, "
                         f"d_in); received shape {x.shape}")
    nodes = x.shape[-2]
    if np.ndim(a) != 2 or np.shape(a) != (nodes, nodes):
        raise ValueError(
            f"graph_conv expects an adjacency matrix of shape ({nodes}, "
            f"{nodes}) to match x of shape {x.shape}; received shape "
            f"{np.shape(a)}")
    if w.ndim != 2 or w.shape[0] != x.shape[-1]:
        raise ValueError(
            f"graph_conv expects w of shape ({x.shape[-1]}, d_out) to match "
            f"x of shape {x.shape}; received shape {w.shape}")
    for name, arr in (("x", x), ("w", w)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"graph_conv expects finite values in {name}; "
                             "received NaN or inf")
    return normalize_adjacency(a).astype(np.result_type(x, w)), x, w
# --8<-- [end:graph_conv]
