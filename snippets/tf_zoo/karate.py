"""The graph page's experiment: Zachary's karate club, and the zoo GCN
trained on it from two labelled members."""

from snippets.tf_zoo.models.gcn import build_gcn

# isort: split
# --8<-- [start:karate]
import networkx as nx
import numpy as np


def karate_club():
    """Zachary's karate club as (a, x, y): adjacency (34, 34), one-hot node
    features (34, 34), faction labels (34,).

    y is 0 for members who followed the instructor ('Mr. Hi') after the
    split, 1 for those who followed the 'Officer'.
    """
    graph = nx.karate_club_graph()
    # 0/1 edges, ignoring how often two members interacted
    a = nx.to_numpy_array(graph, weight=None, dtype=np.float32)
    y = np.array([graph.nodes[i]["club"] != "Mr. Hi" for i in graph.nodes],
                 dtype=np.int32)
    return a, np.eye(len(a), dtype=np.float32), y
# --8<-- [end:karate]


# --8<-- [start:train_gcn]
import keras
import numpy as np


def train_gcn(a, x, y, labelled, epochs=100, seed=0):
    """Train the zoo GCN on one graph with the loss on the ``labelled``
    nodes only (semi-supervised).

    Args:
        a: adjacency (num_nodes, num_nodes); x: node features (num_nodes,
            num_features); y: int labels (num_nodes,), 0 or 1.
        labelled: indices of the nodes whose labels the loss sees.
        epochs: full-graph steps; seed: initial weights.

    Returns:
        The trained ``keras.Model``, called on ``(x[None], a[None])``.
    """
    keras.utils.set_random_seed(seed)
    model = build_gcn(num_nodes=len(a), num_features=x.shape[1],
                      num_classes=2, units=(16,))
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss="sparse_categorical_crossentropy")
    weight = np.zeros((1, len(a)), dtype=np.float32)
    weight[0, labelled] = 1.0  # every other node's label stays hidden
    model.fit((x[None], a[None]), y[None], sample_weight=weight,
              epochs=epochs, verbose=0)
    return model
# --8<-- [end:train_gcn]
