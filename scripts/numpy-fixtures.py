"""Writes the NumPy reference vectors the tests compare against.

Run from the repository root: python3 scripts/numpy-fixtures.py
It implements the eight functions of SPEC.md in NumPy, draws their inputs from
np.random.seed(1) in the order recorded next to each case, and writes
packages/cells/src/fixtures/numpy-vectors.json and
packages/tensor/src/fixtures/random-state.json. The tests never run Python.
"""
import json
import os

import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def rnn_cell_forward(xt, a_prev, p):
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    return a_next, softmax(p["Wya"] @ a_next + p["by"]), (a_next, a_prev, xt, p)


def rnn_forward(x, a0, p):
    n_x, m, T = x.shape
    n_a, n_y = p["Wya"].shape[1], p["Wya"].shape[0]
    a, y, caches, a_prev = np.zeros((n_a, m, T)), np.zeros((n_y, m, T)), [], a0
    for t in range(T):
        a_prev, y[:, :, t], cache = rnn_cell_forward(x[:, :, t], a_prev, p)
        a[:, :, t] = a_prev
        caches.append(cache)
    return a, y, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dtanh = (1 - a_next ** 2) * da_next
    return {"dxt": p["Wax"].T @ dtanh, "daPrev": p["Waa"].T @ dtanh, "dWax": dtanh @ xt.T,
            "dWaa": dtanh @ a_prev.T, "dba": dtanh.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    steps, x = caches
    n_a, m, T = da.shape
    out = {"dx": np.zeros(x.shape), "dWax": 0, "dWaa": 0, "dba": 0}
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + da_prev, steps[t])
        out["dx"][:, :, t] = g["dxt"]
        da_prev = g["daPrev"]
        for k in ("dWax", "dWaa", "dba"):
            out[k] = out[k] + g[k]
    out["da0"] = da_prev
    return out


def lstm_cell_forward(xt, a_prev, c_prev, p):
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = sigmoid(p["Wf"] @ concat + p["bf"])
    it = sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def lstm_forward(x, a0, p):
    n_x, m, T = x.shape
    n_y, n_a = p["Wy"].shape
    a, c, y = np.zeros((n_a, m, T)), np.zeros((n_a, m, T)), np.zeros((n_y, m, T))
    a_prev, c_prev, caches = a0, np.zeros((n_a, m)), []
    for t in range(T):
        a_prev, c_prev, y[:, :, t], cache = lstm_cell_forward(x[:, :, t], a_prev, c_prev, p)
        a[:, :, t], c[:, :, t] = a_prev, c_prev
        caches.append(cache)
    return a, y, c, (caches, x)


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_prev.shape[0]
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc ** 2)
    d = {"o": da_next * tc * ot * (1 - ot), "c": dc * it * (1 - cct ** 2),
         "i": dc * cct * it * (1 - it), "f": dc * c_prev * ft * (1 - ft)}
    concat = np.concatenate([a_prev, xt], axis=0)
    out = {}
    dconcat = 0
    for g in "fico":
        out["dW" + g] = d[g] @ concat.T
        out["db" + g] = d[g].sum(axis=1, keepdims=True)
        dconcat = dconcat + p["W" + g].T @ d[g]
    out.update(daPrev=dconcat[:n_a], dxt=dconcat[n_a:], dcPrev=dc * ft)
    return out


def lstm_backward(da, caches):
    steps, x = caches
    n_a, m, T = da.shape
    out = {"dx": np.zeros(x.shape)}
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, steps[t])
        out["dx"][:, :, t] = g["dxt"]
        da_prev, dc_prev = g["daPrev"], g["dcPrev"]
        for k in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
            out[k] = out.get(k, 0) + g[k]
    out["da0"] = da_prev
    return out


def draw(order):
    """Draws each (name, shape) of `order` from np.random in turn."""
    return {name: np.random.randn(*shape) for name, shape in order}


def listed(d):
    return {k: v.tolist() for k, v in d.items()}


RNN_P = [("Waa", (5, 5)), ("Wax", (5, 3)), ("Wya", (2, 5)), ("ba", (5, 1)), ("by", (2, 1))]
LSTM_P = [("Wf", (5, 8)), ("bf", (5, 1)), ("Wi", (5, 8)), ("bi", (5, 1)), ("Wo", (5, 8)), ("bo", (5, 1)),
          ("Wc", (5, 8)), ("bc", (5, 1)), ("Wy", (2, 5)), ("by", (2, 1))]


def case(order, run):
    np.random.seed(1)
    d = draw(order)
    return {"seed": 1, "draws": [[n, list(s)] for n, s in order], "outputs": listed(run(d))}


def pick(d, order):
    return {k: d[k] for k, _ in order}


cases = {
    "rnn_cell_forward": case([("xt", (3, 10)), ("a_prev", (5, 10))] + RNN_P, lambda d: dict(zip(
        ("aNext", "ytPred"), rnn_cell_forward(d["xt"], d["a_prev"], pick(d, RNN_P))[:2]))),
    "rnn_forward": case([("x", (3, 10, 4)), ("a0", (5, 10))] + RNN_P, lambda d: dict(zip(
        ("a", "yPred"), rnn_forward(d["x"], d["a0"], pick(d, RNN_P))[:2]))),
    "rnn_cell_backward": case([("xt", (3, 10)), ("a_prev", (5, 10))] + RNN_P + [("da_next", (5, 10))], lambda d: rnn_cell_backward(
        d["da_next"], rnn_cell_forward(d["xt"], d["a_prev"], pick(d, RNN_P))[2])),
    "rnn_backward": case([("x", (3, 10, 4)), ("a0", (5, 10))] + RNN_P + [("da", (5, 10, 4))], lambda d: rnn_backward(
        d["da"], rnn_forward(d["x"], d["a0"], pick(d, RNN_P))[2])),
    "lstm_cell_forward": case([("xt", (3, 10)), ("a_prev", (5, 10)), ("c_prev", (5, 10))] + LSTM_P, lambda d: dict(zip(
        ("aNext", "cNext", "ytPred"), lstm_cell_forward(d["xt"], d["a_prev"], d["c_prev"], pick(d, LSTM_P))[:3]))),
    "lstm_forward": case([("x", (3, 10, 7)), ("a0", (5, 10))] + LSTM_P, lambda d: dict(zip(
        ("a", "yPred", "c"), lstm_forward(d["x"], d["a0"], pick(d, LSTM_P))[:3]))),
    "lstm_cell_backward": case([("xt", (3, 10)), ("a_prev", (5, 10)), ("c_prev", (5, 10))] + LSTM_P + [("da_next", (5, 10)), ("dc_next", (5, 10))],
        lambda d: lstm_cell_backward(d["da_next"], d["dc_next"], lstm_cell_forward(d["xt"], d["a_prev"], d["c_prev"], pick(d, LSTM_P))[3])),
    "lstm_backward": case([("x", (3, 10, 7)), ("a0", (5, 10))] + LSTM_P + [("da", (5, 10, 7))], lambda d: lstm_backward(
        d["da"], lstm_forward(d["x"], d["a0"], pick(d, LSTM_P))[3])),
}

streams = []
for seed in (0, 1, 2, 42, 12345, 2 ** 32 - 1):
    rs = np.random.RandomState(seed)
    calls = [("randn", [5]), ("rand", [3]), ("randn", [2, 3]), ("rand", [2, 2]), ("randn", [1]), ("randn", [4, 3, 2])]
    streams.append({"seed": seed, "calls": [{"method": m, "shape": s, "values": getattr(rs, m)(*s).ravel().tolist()} for m, s in calls]})
rs = np.random.RandomState(7)
rs.randn(701)  # cross a 624-word refill boundary
streams.append({"seed": 7, "skip": 701, "calls": [{"method": "randn", "shape": [3], "values": rs.randn(3).tolist()},
                                                    {"method": "raw", "shape": [4], "values": [int(v) for v in rs.randint(0, 2 ** 32, size=4, dtype=np.uint32)]}]})

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(root, "packages/cells/src/fixtures/numpy-vectors.json"), "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f)
os.makedirs(os.path.join(root, "packages/tensor/src/fixtures"), exist_ok=True)
with open(os.path.join(root, "packages/tensor/src/fixtures/random-state.json"), "w") as f:
    json.dump({"numpy": np.__version__, "streams": streams}, f)
