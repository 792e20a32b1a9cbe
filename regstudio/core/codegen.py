"""A trained model as code: a standalone numpy script, and its scikit-learn equivalent.

Both are built from the model document (``modelfile.model_document``), so they say exactly what the
exported model file says.

``numpy_script(document)`` is a runnable Python file that needs numpy and nothing of regstudio: the
model's numbers are written in as literals (``repr`` of each float, so every bit survives), and it
repeats the feature pipeline (distances, monomials in the file's order, group interactions,
standardisation with the training means and stds) and the model (affine, or the cascade's sigmoid
hidden layer) before the output head.  It reads a CSV with the source of ``csvtext``'s functions
copied in, so ``python model.py DATA.csv`` reads the files ``regstudio predict`` reads (encodings,
delimiters, quoted line breaks) and prints what it prints; ``predict(X, groups=None)`` returns ŷ
(N,) for regression and (labels (N,), probabilities (N, K) in ``CLASSES`` order) for classifiers.

``sklearn_snippet(document)`` is the same model in scikit-learn terms; see its docstring for the
penalty conversion and where scikit-learn has no equivalent.
"""

from __future__ import annotations

import inspect
import textwrap

import numpy as np

from . import csvtext
from .errors import RegstudioError

LINE = 100  # longest line written, numbers wrapped to stay within it
METRIC_NAMES = {"mse": "MSE", "rmse": "RMSE", "mae": "MAE", "r2": "R²", "cross_entropy": "cross-entropy",
                "accuracy": "accuracy", "objective": "J"}
STOP_WORDS = {"max steps": "reached its step limit", "converged": "converged", "diverged": "diverged"}


# --- literals -------------------------------------------------------------------------------------

def _number(value) -> str:
    """A float literal that reads back to the same double."""
    return repr(float(value))


def _pack(items: list[str], width: int) -> list[str]:
    """Items joined by ", " into lines of at most ``width`` characters (an item is never split)."""
    lines, line = [], ""
    for item in items:
        candidate = f"{line}, {item}" if line else item
        if line and len(candidate) + 1 > width:
            lines.append(line + ",")
            line = item
        else:
            line = candidate
    return lines + [line]


def _sequence(items: list[str], indent: str, opening: str = "[", closing: str = "]") -> str:
    """``[a, b, …]`` on one line if it fits in LINE characters, else one packed line per chunk."""
    one_line = f"{opening}{', '.join(items)}{closing}"
    if len(indent) + len(one_line) + 24 <= LINE:
        return one_line
    inner = indent + "    "
    lines = _pack(items, LINE - len(inner))
    return opening + "\n" + "\n".join(inner + line for line in lines) + f"\n{indent}{closing}"


def _numbers(values, indent: str) -> str:
    return _sequence([_number(v) for v in values], indent)


def _array(name: str, values, comment: str = "") -> str:
    """``name = np.array(...)`` of a vector or matrix (one row per line), the comment on the line above."""
    a = np.asarray(values, dtype=np.float64)
    note = f"# {comment}\n" if comment else ""
    if a.ndim == 1:
        return f"{note}{name} = np.array({_numbers(a, '')})"
    rows = "".join(f"    {_numbers(row, '    ')},\n" for row in a)
    return f"{note}{name} = np.array([\n{rows}])"


def _int_matrix(name: str, values, comment: str) -> str:
    rows = ["[" + ", ".join(str(int(v)) for v in row) + "]" for row in values]
    return f"# {comment}\n{name} = np.array({_sequence(rows, '')})"


def _strings(name: str, values, comment: str = "") -> str:
    note = f"# {comment}\n" if comment else ""
    return f"{note}{name} = {_sequence([repr(str(v)) for v in values], '')}"


# --- what the model is ----------------------------------------------------------------------------

def _describe(document: dict) -> list[str]:
    """The header's lines: model, features, training, rows and metrics."""
    f, h, t, a = document["features"], document["hyperparameters"], document["training"], document["architecture"]
    kind = document["model"]
    what = {"linear": "linear regression", "polynomial": "polynomial regression", "ridge": "ridge regression",
            "logistic": "logistic regression", "softmax": "softmax regression",
            "cascade": f"cascade of {a.get('hidden')} sigmoid hidden unit(s)",
            "ordinal": "ordinal logistic regression (cumulative logit, proportional odds)"}[kind]
    if kind == "cascade":
        what += f" and a {a['output_activation']} output"
    target = document["target"]
    if document["classes"] is not None:
        target += f" (classes {', '.join(document['classes'])})"
    lines = [f"regstudio model: {what}, inputs {', '.join(document['inputs'])} -> {target}"]
    base = ", ".join(document["inputs"])
    if f.get("distances_to"):
        base = "distances to " + ", ".join("(" + ", ".join(f"{v:g}" for v in r) + ")" for r in f["distances_to"])
    features = f"monomials of degree 1 to {f['degree']} of {base}" if f["degree"] > 1 else base
    if f["group"]:
        features += f"; one intercept and one set of coefficients per {f['group']['column']} level"
    if f["standardize"]:
        features += "; standardised with the training rows' mean and std"
    lines.append(f"Features ({len(f['names'])}): {features}")
    batch = f", batch size {h['batch_size']}" if h.get("batch_size") else ""
    stop = STOP_WORDS.get(t["stop_reason"], "stopped by hand" if t["stop_reason"] is None else t["stop_reason"])
    method = "exact solver" if h["optimizer"] == "exact" else f"{h['optimizer']}, learning rate {h['lr']:g}{batch}"
    lines.append(f"Trained: {method}, λ = {document['objective']['l2']:g}, "
                 f"loss {document['objective']['loss']}, seed {h['seed']}; {t['steps']:,} steps "
                 f"({t['epochs']:g} epochs), {stop}")
    rows = t["rows"]
    lines.append(f"Rows: {rows['train']} train, {rows['test']} test, {rows['dropped']} dropped")
    for part in ("train", "test"):
        metrics = (document.get("metrics") or {}).get(part)
        if metrics:
            shown = [f"{METRIC_NAMES[k]} {'n/a' if v is None else f'{v:.6g}'}"
                     for k, v in metrics.items() if k in METRIC_NAMES]
            lines.append(f"{part.capitalize()} metrics: {', '.join(shown)}")
    return lines


def _docstring(lines: list[str]) -> str:
    """A module docstring of ``lines``, each wrapped at LINE characters (continuations indented)."""
    wrapped = [part for line in lines
               for part in (textwrap.wrap(line, LINE, subsequent_indent="  ", break_on_hyphens=False) or [""])]
    return '"""' + "\n".join(wrapped).replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '\n"""'


def _check(document: dict) -> None:
    if not isinstance(document, dict) or document.get("format") != "regstudio-model":
        raise RegstudioError("not a regstudio model document")
    numbers = [np.asarray(v, dtype=np.float64) for v in document["parameters"].values()]
    if document["features"]["standardize"]:
        numbers += [np.asarray(document["features"]["mean"]), np.asarray(document["features"]["std"])]
    if not all(np.isfinite(a).all() for a in numbers):
        raise RegstudioError("cannot write the model as code: its numbers are not all finite")


# --- the numpy script -----------------------------------------------------------------------------

_SCRIPT_FUNCTIONS = '''

MISSING = {"", "na", "nan", "null", "none", "n/a", "?"}  # cells regstudio treats as missing


def read_columns(path):
    """The CSV's header and rows, read as regstudio reads them: the same encodings and delimiters,
    quoted cells may hold line breaks, blank lines are skipped."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = decode_csv_bytes(data)[0]
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    delimiter = sniff_delimiter(text)
    # Lines end only at \\n, \\r or \\r\\n (as in a file opened with newline=""), never at a form
    # feed or U+2028 inside a cell, which str.splitlines would split at.
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows = [row for row in rows if delimiter.join(row).strip()]
    if not rows:
        raise ValueError(f"{path}: the file is empty")
    return rows[0], rows[1:]


def main(argv):
    if len(argv) != 1:
        sys.exit(f"usage: python {sys.argv[0]} DATA.csv  (prints one prediction per row as CSV)")
    path = argv[0]
    try:
        header, rows = read_columns(path)
        needed = INPUTS + ([GROUP] if GROUP else [])
        missing_columns = [name for name in needed if name not in header]
        if missing_columns:
            raise ValueError(f"{path}: missing input column(s) {missing_columns}")
        at = [header.index(name) for name in needed]
        complete, X, groups = [], [], []
        for number, row in enumerate(rows, start=1):
            cells = [row[i] if i < len(row) else "" for i in at]
            if any(cell.strip().lower() in MISSING for cell in cells):
                complete.append(False)
                continue
            try:
                values = [float(cell) for cell in cells[:len(INPUTS)]]
            except ValueError:
                raise ValueError(f"{path}: row {number}: not a number in {cells}") from None
            if not np.isfinite(values).all():
                raise ValueError(f"{path}: row {number}: not a finite number in {cells}")
            complete.append(True)
            X.append(values)
            groups.append(cells[-1] if GROUP else None)
        X = np.array(X, dtype=np.float64).reshape(-1, len(INPUTS))
        output = predict(X, groups if GROUP else None)
    except (OSError, ValueError, csv.Error) as exc:
        sys.exit(f"error: {exc}")
    writer = csv.writer(sys.stdout, lineterminator="\\n")
    done = iter(range(len(X)))
'''


def _script_body(document: dict) -> str:
    """Constants, ``features``, ``predict`` and the CSV front end."""
    f, P, a = document["features"], document["parameters"], document["architecture"]
    classes, group = document["classes"], f["group"]
    activation = a["output_activation"]
    out = [_strings("INPUTS", document["inputs"], "the input columns, in X's column order"),
           f"GROUP = {None if group is None else group['column']!r}  # the group column, if the model has one",
           "CLASSES = None" if classes is None else _strings("CLASSES", classes, "in the probabilities' order"),
           "",
           "# The feature pipeline, fitted on the training rows."]
    if f.get("distances_to"):
        out.append(_array("REFERENCES", f["distances_to"], "the inputs are replaced by their distances to these"))
    base = "the distances" if f.get("distances_to") else "the inputs"
    out.append(_int_matrix("MONOMIALS", f["monomials"], f"the power of each of {base}, one row per monomial"))
    if group:
        out.append(_strings("GROUP_LEVELS", group["levels"], "the first level's intercept is the bias"))
    if f["standardize"]:
        out.append(_array("MEAN", f["mean"], "of each feature, in FEATURE_NAMES order"))
        out.append(_array("STD", f["std"], "population std (1 for a constant feature)"))
    out.append(_strings("FEATURE_NAMES", f["names"]))
    out += ["", "# The parameters."]
    if "hidden" in a:
        out += [_array("W1", P["W1"], "hidden units x features"), _array("b1", P["b1"]),
                _array("W2", P["W2"], "outputs x hidden units"), _array("b2", P["b2"])]
    elif activation == "cumulative_logit":
        out += [_array("W", P["W"], "1 x features: one weight vector shared by every threshold"),
                _array("theta1", P["theta1"], "the first threshold"),
                _array("log_gaps", P["log_gaps"], "ln of the gaps between neighbouring thresholds"),
                "# θ_1 < … < θ_(K−1): P(y ≤ k) = sigmoid(θ_k − w·x)",
                "THRESHOLDS = theta1 + np.concatenate([[0.0], np.cumsum(np.exp(log_gaps))])"]
    else:
        out += [_array("W", P["W"], "outputs x features"), _array("b", P["b"])]
    out += ["", "", "def features(X, groups=None):",
            '    """Model features (N, p) of the raw inputs X (N, d), columns in INPUTS order."""',
            "    X = np.asarray(X, dtype=np.float64)"]
    if f.get("distances_to"):
        out.append("    X = np.column_stack([np.sqrt(np.square(X - r).sum(axis=1)) for r in REFERENCES])")
    out += ["    F = np.ones((X.shape[0], len(MONOMIALS)))",
            "    for j, powers in enumerate(MONOMIALS):",
            "        for i, power in enumerate(powers):",
            "            if power:",
            "                F[:, j] *= X[:, i] ** power"]
    if group:
        out += ["    if groups is None:",
                '        raise ValueError(f"the model needs the group column {GROUP!r}")',
                "    groups = np.asarray(groups, dtype=str)",
                "    unknown = sorted(set(groups.tolist()) - set(GROUP_LEVELS))",
                "    if unknown:",
                '        raise ValueError(f"groups {unknown} were not in training (levels {GROUP_LEVELS})")',
                "    onehot = (groups[:, None] == np.array(GROUP_LEVELS)).astype(np.float64)",
                "    # one intercept offset per level after the first, then each level's own monomials",
                "    F = np.hstack([onehot[:, 1:]] + [F * onehot[:, [k]] for k in range(len(GROUP_LEVELS))])"]
    if f["standardize"]:
        out.append("    F = (F - MEAN) / STD")
    out.append("    return F")
    if "hidden" in a or activation in ("sigmoid", "cumulative_logit"):
        out += ["", "", "def sigmoid(z):",
                '    """1 / (1 + e^(−z)), without overflow for any z."""',
                "    e = np.exp(-np.abs(z))",
                "    return np.where(z >= 0, 1.0, e) / (1.0 + e)"]
    doc = ("ŷ (N,)" if classes is None else
           "(labels (N,), probabilities (N, K) with columns in CLASSES order)")
    out += ["", "", "def predict(X, groups=None):", f'    """{doc} for inputs X (N, d)."""',
            "    F = features(X, groups)"]
    if "hidden" in a:
        out += ["    A = sigmoid(F @ W1.T + b1)  # hidden units' outputs (N, H)",
                "    Z = A @ W2.T + b2  # logits (N, K)"]
    elif activation != "cumulative_logit":
        out.append("    Z = F @ W.T + b  # (N, K)")
    if activation == "identity":
        out.append("    return Z[:, 0]")
    else:
        if activation == "sigmoid":
            out.append("    P = np.column_stack([sigmoid(-Z[:, 0]), sigmoid(Z[:, 0])])")
        elif activation == "cumulative_logit":
            out += ["    C = sigmoid(THRESHOLDS - F @ W.T)  # P(y ≤ k) (N, K − 1), increasing in k",
                    "    P = np.diff(C, prepend=0.0, append=1.0, axis=1)  # P(y = k) (N, K)"]
        else:
            out += ["    E = np.exp(Z - Z.max(axis=1, keepdims=True))",
                    "    P = E / E.sum(axis=1, keepdims=True)"]
        out.append("    return np.array(CLASSES)[np.argmax(P, axis=1)], P")
    # The reading functions themselves, so the script reads a file as regstudio does.
    out += ["", "", "\n\n\n".join(inspect.getsource(function).rstrip("\n") for function in csvtext.STANDALONE)]
    out.append(_SCRIPT_FUNCTIONS.rstrip("\n"))
    if classes is None:
        out += ['    writer.writerow(["prediction"])',
                "    for ok in complete:",
                '        writer.writerow([repr(float(output[next(done)])) if ok else ""])']
    else:
        out += ["    labels, P = output",
                '    writer.writerow(["prediction"] + [f"p_{label}" for label in CLASSES])',
                "    for ok in complete:",
                "        if ok:",
                "            n = next(done)",
                "            writer.writerow([labels[n]] + [repr(float(p)) for p in P[n]])",
                "        else:",
                '            writer.writerow([""] * (1 + len(CLASSES)))']
    out += ["", "", 'if __name__ == "__main__":', "    main(sys.argv[1:])", ""]
    return "\n".join(out)


def numpy_script(document: dict) -> str:
    """A standalone Python script (numpy and the standard library) that predicts as ``document`` does.

    ``python script.py DATA.csv`` reads the model's input columns (and group column) from a CSV and
    prints ``regstudio predict``'s output: a ``prediction`` column and, for classifiers, one
    ``p_<label>`` column per class; rows with a missing input get empty cells.  Importing it gives
    ``predict(X, groups=None)``.  Raises RegstudioError for a document that is not a model or whose
    numbers are not finite.
    """
    _check(document)
    columns = document["inputs"] + ([document["group"]] if document["group"] else [])
    header = _describe(document) + [
        "",
        "Standalone: needs numpy only; the numbers below are the model's, to the last bit.",
        f"Usage: python <this file> DATA.csv > predictions.csv   (DATA.csv has the column(s) {', '.join(columns)})",
        "Or import it: predict(X, groups=None), X (N, d) with columns in INPUTS order.",
    ]
    imports = ["import collections", "import csv", "import io", "import re", "import sys"]
    return "\n".join(["#!/usr/bin/env python3", _docstring(header), "", *imports, "", "import numpy as np", "", "",
                      _script_body(document)])


# --- the scikit-learn snippet ---------------------------------------------------------------------

def _estimator(document: dict) -> tuple[str, str, list[str]]:
    """(import line, the estimator's constructor in terms of ``n`` rows, notes for the docstring)."""
    kind, l2 = document["model"], float(document["objective"]["l2"])
    classes = document["classes"]
    if classes is None:
        if l2 == 0:
            return ("from sklearn.linear_model import LinearRegression", "LinearRegression()",
                    ["λ = 0: ordinary least squares, LinearRegression."])
        return ("from sklearn.linear_model import Ridge", "Ridge(alpha=n * L2)",
                ["Ridge minimises ‖y − Xw‖² + α‖w‖² = N·(mean((y − ŷ)²) + (α/N)‖w‖²), intercept free,",
                 "so α = N·λ for N training rows."])
    if kind == "cascade":
        hidden = document["architecture"]["hidden"]
        return ("from sklearn.neural_network import MLPClassifier",
                f'MLPClassifier(hidden_layer_sizes=({hidden},), activation="logistic", max_iter=1)',
                ["MLPClassifier (logistic hidden units, a logistic output for two classes and a softmax for",
                 "more) is the same network.  Its own training would not find these weights (other",
                 "initialisation, other optimizer, its alpha penalises a sum, not a mean), so the snippet",
                 "fits it once only to build it, then sets coefs_ and intercepts_ (and the scaler's",
                 "statistics) to the model's: predict_proba then reproduces regstudio's predictions."])
    binary_softmax = kind == "softmax" and len(classes) == 2
    penalty = "np.inf" if l2 == 0 else ("1 / (n * L2)" if binary_softmax else "1 / (2 * n * L2)")
    notes = ["LogisticRegression minimises C·Σ CE + ½‖w‖² = C·N·(mean CE + ‖w‖²/(2·C·N)), intercept free,",
             "so C = 1/(2·N·λ) for N training rows (λ = 0: C = inf, no penalty)."]
    if binary_softmax:
        notes += ["Two-class softmax: only d = w₂ − w₁ matters, and λ(‖w₁‖² + ‖w₂‖²) is smallest at",
                  "w₂ = −w₁ = d/2, where it is (λ/2)‖d‖²: scikit-learn's binary model with λ/2, C = 1/(N·λ)."]
    if kind == "logistic" and document["objective"]["loss"] == "mse":
        notes += ["NOT EQUIVALENT: this model minimised the square error of σ(z); scikit-learn has no such",
                  "estimator.  LogisticRegression (cross-entropy) below is the nearest, and its weights differ."]
    return ("from sklearn.linear_model import LogisticRegression",
            f"LogisticRegression(C={penalty}, solver=\"newton-cg\", tol=1e-10, max_iter=10_000)", notes)


def _no_sklearn_ordinal(document: dict) -> str:
    """What the scikit-learn file of an ordinal model says: that scikit-learn has no such model."""
    header = [*_describe(document), "",
              "NO SCIKIT-LEARN EQUIVALENT: scikit-learn has no ordinal (cumulative-logit) model.",
              "LogisticRegression would treat the ordered classes as unordered ones (softmax), with K·(d + 1)",
              "parameters instead of K + d − 1 and no parallel boundaries.  The numpy script exported beside",
              "this file reproduces the model's predictions.  With λ = 0, statsmodels' OrderedModel(y, X,",
              'distr="logit") fits the same model on the same features (no constant column): its params are',
              "[w, θ_1, ln(θ_2 − θ_1), …], regstudio's W, theta1 and log_gaps in this order."]
    return "\n".join([_docstring(header), "", 'if __name__ == "__main__":', "    print(__doc__.strip())", ""])


def sklearn_snippet(document: dict) -> str:
    """The model of ``document`` in scikit-learn: a script defining ``fit(X, y, groups=None)`` (the
    fitted Pipeline) and ``predict(pipeline, X, groups=None)`` (ŷ, or (labels, P in ``CLASSES``
    order)), the same return values as :func:`numpy_script`'s ``predict``.

    Penalty conversion (regstudio minimises J = mean loss + λ‖w‖², the bias not penalised):

    - ``Ridge(alpha = N·λ)``: ``‖y − Xw‖² + α‖w‖² = N·(mean squared error + (α/N)‖w‖²)``;
      ``LinearRegression`` when λ = 0.
    - ``LogisticRegression(C = 1/(2·N·λ))``: ``C·Σ CE + ½‖w‖² = C·N·(mean CE + ‖w‖²/(2CN))``; for
      softmax with K ≥ 3 the same C (multinomial, ½‖W‖²_F); a two-class softmax is the binary model
      with λ/2, ``C = 1/(N·λ)``; λ = 0 gives ``C = inf``.

    N is the number of rows passed to ``fit``: on the model's training rows (with the same
    polynomial features and standardisation, which the pipeline fits there) the estimators reach
    the model's optimum, so they reproduce what a converged ``exact`` run predicts.  The cascade is
    ``MLPClassifier`` with the model's weights set (scikit-learn's training would not find them),
    which reproduces its predictions exactly.  The logistic model trained on square error has no
    scikit-learn equivalent: the snippet says so and gives LogisticRegression as the nearest.  Nor
    has the ordinal model: its file says so and names statsmodels' OrderedModel instead.
    """
    _check(document)
    if document["model"] == "ordinal":
        return _no_sklearn_ordinal(document)
    f, a = document["features"], document["architecture"]
    classes, group, distances = document["classes"], f["group"], f.get("distances_to")
    cascade = "hidden" in a
    import_line, constructor, notes = _estimator(document)
    helper = bool(group or distances)
    header = [*_describe(document), "", "The same model in scikit-learn.", *notes, "",
              "fit(X, y, groups=None) fits the pipeline on the rows you give it (the model's training rows",
              f"reproduce it: {document['training']['rows']['train']} of them); predict(pipeline, X, groups=None)."]
    imports = ["import numpy as np"]
    if cascade:
        imports = ["import warnings", "", *imports, "from sklearn.exceptions import ConvergenceWarning"]
    imports.append(import_line)
    imports.append("from sklearn.pipeline import Pipeline")
    preprocessing = [name for name, used in (("PolynomialFeatures", f["degree"] > 1 or helper),
                                             ("StandardScaler", f["standardize"])) if used]
    if preprocessing:
        imports.append(f"from sklearn.preprocessing import {', '.join(preprocessing)}")
    out = ["", f"L2 = {_number(document['objective']['l2'])}  # λ, regstudio's penalty (on the mean loss)",
           _strings("INPUTS", document["inputs"], "the input columns, in X's column order")]
    if classes is not None:
        out.append(_strings("CLASSES", classes, "regstudio's class order"))
    if distances:
        out.append(_array("REFERENCES", distances, "the inputs are replaced by their distances to these"))
    if group:
        out.append(_strings("GROUP_LEVELS", group["levels"]))
    if cascade:
        if f["standardize"]:
            out += [_array("MEAN", f["mean"], "the standardisation the weights were trained on"),
                    _array("STD", f["std"])]
        P = document["parameters"]
        out += [_array("W1", P["W1"], "hidden units x features"), _array("b1", P["b1"]),
                _array("W2", P["W2"], "outputs x hidden units"), _array("b2", P["b2"])]
    steps = []
    if helper:
        out += ["", "", "def features(X, groups=None):",
                '    """What the pipeline starts from: regstudio\'s features before standardisation."""',
                "    X = np.asarray(X, dtype=np.float64)"]
        if distances:
            out.append("    X = np.column_stack([np.sqrt(np.square(X - r).sum(axis=1)) for r in REFERENCES])")
        out.append(f"    M = PolynomialFeatures(degree={f['degree']}, include_bias=False).fit_transform(X)")
        if group:
            out += ["    groups = np.asarray(groups, dtype=str)",
                    "    onehot = (groups[:, None] == np.array(GROUP_LEVELS)).astype(np.float64)",
                    "    if not onehot.any(axis=1).all():",
                    '        raise ValueError(f"groups must be among {GROUP_LEVELS}")',
                    "    # one intercept offset per level after the first, then each level's own monomials",
                    "    return np.hstack([onehot[:, 1:]] + [M * onehot[:, [k]] for k in range(len(GROUP_LEVELS))])"]
        else:
            out.append("    return M")
    elif f["degree"] > 1:
        steps.append(f'("monomials", PolynomialFeatures(degree={f["degree"]}, include_bias=False))')
    if f["standardize"]:
        steps.append('("standardise", StandardScaler())')
    steps.append('("model", model)')
    arguments = "features(X, groups)" if helper else "X"
    out += ["", "", "def make_pipeline(n):", '    """The unfitted pipeline for n training rows."""',
            f"    model = {constructor}", "    return Pipeline([", *(f"        {s}," for s in steps), "    ])",
            "", "", "def fit(X, y, groups=None):"]
    if classes is None:
        out += ['    """The pipeline fitted on inputs X (N, d) and targets y (N,)."""',
                f"    return make_pipeline(len(y)).fit({arguments}, np.asarray(y, dtype=np.float64))"]
    else:
        out += ['    """The pipeline fitted on inputs X (N, d) and class labels y (N,), compared as text."""',
                "    y = np.asarray(y).astype(str)"]
        if not cascade:
            out.append(f"    return make_pipeline(len(y)).fit({arguments}, y)")
        else:
            out += ["    pipeline = make_pipeline(len(y))",
                    "    with warnings.catch_warnings():  # one iteration only builds the network",
                    '        warnings.simplefilter("ignore", ConvergenceWarning)',
                    f"        pipeline.fit({arguments}, y)"]
            if f["standardize"]:
                out += ['    scaler = pipeline.named_steps["standardise"]',
                        "    scaler.mean_, scaler.scale_, scaler.var_ = MEAN.copy(), STD.copy(), STD ** 2"]
            out += ['    network = pipeline.named_steps["model"]',
                    "    # scikit-learn orders its outputs as np.unique(y): permute regstudio's to match",
                    "    order = [CLASSES.index(label) for label in network.classes_]",
                    "    if len(CLASSES) == 2:  # one logistic output: the probability of the second class",
                    "        sign = 1.0 if order == [0, 1] else -1.0",
                    "        W_out, b_out = sign * W2, sign * b2",
                    "    else:",
                    "        W_out, b_out = W2[order], b2[order]",
                    "    network.coefs_ = [W1.T.copy(), W_out.T.copy()]",
                    "    network.intercepts_ = [b1.copy(), b_out.copy()]",
                    "    return pipeline"]
    out += ["", "", "def predict(pipeline, X, groups=None):"]
    if classes is None:
        out += ['    """ŷ (N,) for inputs X (N, d)."""', f"    return pipeline.predict({arguments})"]
    else:
        out += ['    """(labels (N,), probabilities (N, K) with columns in CLASSES order) for inputs X (N, d)."""',
                f"    P = pipeline.predict_proba({arguments})",
                "    known = [str(label) for label in pipeline.classes_]",
                "    P = P[:, [known.index(label) for label in CLASSES]]",
                "    return np.array(CLASSES)[np.argmax(P, axis=1)], P"]
    # Run on its own, the file says what it is and how to use it, rather than nothing.
    out += ["", "", 'if __name__ == "__main__":',
            "    print(__doc__.strip())",
            '    print("\\nThis file defines fit(X, y, groups=None) and predict(pipeline, X, groups=None); "',
            '          "import it:  from " + __import__("os").path.basename(__file__)[:-3] + " import fit, predict")']
    return "\n".join([_docstring(header), "", *imports, *out, ""])
