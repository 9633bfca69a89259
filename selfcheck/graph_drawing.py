"""Pictures of the chapter's computational graphs, drawn from the layer objects themselves.

Like the book's figures 5-16 and 5-17: each node is a circle showing its operation, each edge
an arrow from left to right. Above an edge is the forward value that flows along it (black);
below it, under a small left-pointing arrow, the backward gradient (red): the derivative of the
final output with respect to that value. A gradient that is not known yet, because a
``backward`` is not written or raised an error, shows as a grey ``?``, so the pictures work in
an untouched notebook too.

Use a :class:`ComputationalGraph` to record layers after their forward pass, run their own
``backward`` methods right to left with :meth:`ComputationalGraph.backward`, and
:meth:`ComputationalGraph.draw` the result. :func:`draw_apple_graph`,
:func:`draw_apple_orange_graph` and :func:`draw_sigmoid_graph` draw the chapter's examples.

Only numpy and matplotlib are used (no graphviz), so everything draws inline in JupyterLab and
with the headless Agg backend alike. Titles, legends and notes are in the notebook's language
(:mod:`selfcheck.messages`), in a font that has its letters (:mod:`selfcheck.fonts`).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from selfcheck.fonts import figure_fonts
from selfcheck.messages import say

FORWARD_COLOR = "black"
BACKWARD_COLOR = "#d62728"  # red, as in the book
UNKNOWN_COLOR = "#999999"
NODE_FACE = "#fff5d6"

COLUMN_GAP = 3.0  # data units between two layers of nodes
ROW_GAP = 1.5  # data units between two input rows
RADIUS = 0.42  # of a node's circle
INCH_PER_UNIT = 0.75  # figure size per data unit


def format_number(value):
    """A short label for ``value``: '220' rather than '220.00000000000003', '?' for None.

    Four significant digits; a one-element array shows its element, a longer one its shape.
    """
    if value is None:
        return "?"
    array = np.asarray(value)
    if array.size != 1:
        return f"array {array.shape}"
    number = array.item()
    if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, float)):
        return str(number)
    text = f"{number:.4g}"
    return "0" if text == "-0" else text


def _product(values):
    return None if any(v is None for v in values) else np.prod(values)


def _sum(values):
    return None if any(v is None for v in values) else sum(values)


# Forward value of an operation drawn with add_layer, from its inputs' values.
OPERATIONS = {"×": _product, "*": _product, "+": _sum}


class ComputationalGraph:
    """Variables (the edges) and operations (the nodes) of a computational graph.

    Record it in forward order: inputs first (:meth:`add_input`, or implicitly by
    :meth:`add_layer`), then each node whose inputs are already known. A variable that no node
    uses is a final output and is drawn at the right.
    """

    def __init__(self, title="", lang=None):
        self.title = title
        self.lang = lang  # of the legend and notes (default: the notebook's language)
        self.values = {}  # variable name -> forward value (None: unknown)
        self.grads = {}  # variable name -> d(final output)/d(variable) (None: unknown)
        self.inputs = []  # names of the input variables, in the order they were added
        self.nodes = []  # dicts: op, inputs, output, layer, note
        self.failures = []  # messages of backward passes that could not run

    def add_input(self, name, value, grad=None):
        """An input variable: an edge starting at the left of the picture."""
        if name in self.values:
            raise ValueError(f"variable {name!r} is already in the graph")
        self.inputs.append(name)
        self.values[name] = value
        self.grads[name] = grad

    def add_node(self, op, inputs, output, value, grad=None, note=None, layer=None):
        """A node applying ``op`` (the text in its circle) to ``inputs`` (variable names,
        already in the graph), giving the variable ``output`` with forward ``value``.

        ``note`` is a small text under the node (a local derivative, say). ``layer`` is the
        object whose ``backward`` :meth:`backward` will run for this node.
        """
        unknown = [name for name in inputs if name not in self.values]
        if unknown:
            raise ValueError(f"inputs {unknown} of {op!r} are not in the graph yet")
        if output in self.values:
            raise ValueError(f"variable {output!r} is already in the graph")
        self.nodes.append(
            {"op": op, "inputs": list(inputs), "output": output, "layer": layer, "note": note}
        )
        self.values[output] = value
        self.grads[output] = grad

    def add_layer(self, layer, op, inputs, output):
        """A node for a layer whose ``forward`` has run: ``inputs`` are the names of the
        values it was given (in order), ``output`` the name of its result.

        Input values are read from the layer where it keeps them (``MulLayer`` keeps ``x``
        and ``y``); a layer that keeps nothing (``AddLayer``) must get variables the graph
        already has. A name not in the graph yet becomes an input variable. The output value
        is computed by ``op``: "×" multiplies, "+" adds.
        """
        values = []
        for i, name in enumerate(inputs):
            attribute = ("x", "y")[i] if len(inputs) == 2 else None
            kept = getattr(layer, attribute, None) if attribute else None
            if kept is not None:
                value = kept
            elif name in self.values:
                value = self.values[name]
            elif attribute and hasattr(layer, attribute):
                value = None  # forward has not run yet: shown as '?'
            else:
                raise ValueError(
                    f"{type(layer).__name__} keeps no input values: add {name!r} with "
                    "add_input, or the layer that computes it, first"
                )
            if name not in self.values:
                self.add_input(name, value)
            values.append(value)
        if op not in OPERATIONS:
            raise ValueError(f"add_layer knows the operations {list(OPERATIONS)}, not {op!r}")
        self.add_node(op, inputs, output, OPERATIONS[op](values), layer=layer)

    def final_outputs(self):
        """Names of the variables that no node uses: the results, drawn at the right."""
        used = {name for node in self.nodes for name in node["inputs"]}
        return [node["output"] for node in self.nodes if node["output"] not in used]

    def backward(self, dout=1):
        """Backpropagate ``dout`` from the final output by calling each recorded layer's own
        ``backward``, right to left, exactly as the notebook does by hand.

        A gradient reaching a variable along several edges is summed. A ``backward`` that
        raises (NotImplementedError before it is written) leaves its inputs' gradients
        unknown, drawn as '?'.
        """
        self.failures = []
        for name in self.grads:
            self.grads[name] = None
        for name in self.final_outputs():
            self.grads[name] = dout
        arrived = {}  # variable -> list of gradients from the nodes that use it
        for node in reversed(self.nodes):
            output = node["output"]
            if output in arrived:
                parts = arrived[output]
                self.grads[output] = None if None in parts else sum(parts)
            grads = self._run_backward(node, self.grads[output])
            for name, grad in zip(node["inputs"], grads, strict=True):
                arrived.setdefault(name, []).append(grad)
        for name in self.inputs:
            if name in arrived:
                parts = arrived[name]
                self.grads[name] = None if None in parts else sum(parts)

    def _run_backward(self, node, dout):
        """The input gradients ``node['layer'].backward(dout)``, or Nones if it can't run."""
        unknown = [None] * len(node["inputs"])
        if dout is None or node["layer"] is None:
            return unknown
        layer_name = type(node["layer"]).__name__
        try:
            grads = node["layer"].backward(dout)
        except Exception as error:  # any failure just means "not known yet"
            self.failures.append(say("graph_raised", self.lang, method=f"{layer_name}.backward",
                                     error_type=type(error).__name__))
            return unknown
        if len(node["inputs"]) == 1:
            grads = (grads,)
        if not isinstance(grads, tuple) or len(grads) != len(node["inputs"]):
            self.failures.append(say("graph_returned", self.lang,
                                     method=f"{layer_name}.backward", type=type(grads).__name__))
            return unknown
        return grads

    def set_grads(self, grads, dout=1):
        """Use gradients computed elsewhere: ``grads`` maps variable names to them (a
        missing name shows '?'); the final outputs get ``dout``."""
        for name in self.grads:
            self.grads[name] = grads.get(name)
        for name in self.final_outputs():
            self.grads[name] = grads.get(name, dout)

    # ----------------------------------------------------------------------------- layout

    def _layout(self):
        """Positions: {variable or node index: (x, y)}. Nodes go in columns by dependency
        depth; inputs in rows at x = 0, ordered as a walk back from the outputs meets them
        (so edges do not cross); each node sits at the mean height of its inputs."""
        producer = {node["output"]: i for i, node in enumerate(self.nodes)}
        depth = {}
        for i, node in enumerate(self.nodes):  # recorded in forward order
            depth[i] = 1 + max((depth[producer[v]] for v in node["inputs"] if v in producer),
                               default=0)

        rows = []

        def visit(name):
            if name in producer:
                for parent in self.nodes[producer[name]]["inputs"]:
                    visit(parent)
            elif name not in rows:
                rows.append(name)

        for name in self.final_outputs():
            visit(name)
        rows += [name for name in self.inputs if name not in rows]

        place = {name: (0.0, -ROW_GAP * row) for row, name in enumerate(rows)}
        for i, node in enumerate(self.nodes):
            heights = [place[producer[v]][1] if v in producer else place[v][1]
                       for v in node["inputs"]]
            place[i] = (COLUMN_GAP * depth[i], float(np.mean(heights)))
        return place, producer

    # ---------------------------------------------------------------------------- drawing

    def draw(self, ax=None):
        """Draw the graph and return the matplotlib Figure (Jupyter shows it inline).

        ``ax``: an Axes to draw into; by default a new figure sized to the graph.
        """
        with figure_fonts(self.lang):  # text takes its font when it is made
            return self._draw(ax)

    def _draw(self, ax):
        place, producer = self._layout()
        ys = [y for _, y in place.values()]
        x_right = max([x for x, _ in place.values()], default=0) + 0.8 * COLUMN_GAP
        has_notes = any(node["note"] for node in self.nodes)
        # margins for the names at both ends: about 0.12 units a character
        left = 0.5 + 0.12 * max((len(name) for name in self.inputs), default=0)
        right = 0.5 + 0.12 * max((len(name) for name in self.final_outputs()), default=0)
        xlim = (-left, x_right + right)
        ylim = (min(ys) - (1.5 if has_notes else 0.9), max(ys) + 0.9)
        if ax is None:  # axes exactly the size of the graph, margins for title and legend
            width = (xlim[1] - xlim[0]) * INCH_PER_UNIT
            graph_height = (ylim[1] - ylim[0]) * INCH_PER_UNIT
            top = 0.25 + 0.25 * (self.title.count("\n") + 1) if self.title else 0.1
            bottom = 0.8 if any(grad is None for grad in self.grads.values()) else 0.5
            height = graph_height + top + bottom
            fig = plt.figure(figsize=(width, height))
            ax = fig.add_axes((0, bottom / height, 1, graph_height / height))
        fig = ax.figure
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal")
        ax.axis("off")

        for i, node in enumerate(self.nodes):
            self._draw_node(ax, place[i], node)
        for i, node in enumerate(self.nodes):
            for name in node["inputs"]:
                if name in producer:
                    start, from_node = place[producer[name]], True
                else:
                    start, from_node = place[name], False
                    ax.text(start[0] - 0.15, start[1], name, ha="right", va="center",
                            fontsize=11, style="italic")
                self._draw_edge(ax, start, place[i], name, from_node)
        for name in self.final_outputs():
            x, y = place[producer[name]]
            end = (x_right, y)
            self._draw_edge(ax, (x, y), end, name, from_node=True, to_node=False)
            ax.text(end[0] + 0.15, y, name, ha="left", va="center", fontsize=11,
                    style="italic")

        if self.title:
            ax.set_title(self.title, fontsize=13, pad=8)
        self._draw_legend(ax)
        return fig

    def _draw_node(self, ax, center, node):
        ax.add_patch(Circle(center, RADIUS, facecolor=NODE_FACE, edgecolor="black",
                            linewidth=1.5, zorder=3))
        size = {1: 16, 2: 13, 3: 12}.get(len(node["op"]), 10)
        ax.text(*center, node["op"], ha="center", va="center", fontsize=size, zorder=4)
        if node["note"]:
            ax.text(center[0], center[1] - RADIUS - 0.12, node["note"], ha="center",
                    va="top", fontsize=9, color="#555555")

    def _draw_edge(self, ax, start, end, name, from_node, to_node=True):
        """An arrow from ``start`` to ``end`` (node centres, or an input's left end), with
        the variable's forward value above its horizontal part and its gradient below."""
        x0 = start[0] + (RADIUS if from_node else 0.0)
        y0 = start[1]
        x1, y1 = end
        arrow = {"arrowstyle": "-|>", "color": FORWARD_COLOR, "linewidth": 1.4,
                 "mutation_scale": 16, "shrinkA": 0, "shrinkB": 0}
        if abs(y1 - y0) < 1e-9:  # straight across
            bend = x1 - (RADIUS if to_node else 0.0)
            ax.annotate("", xy=(bend, y1), xytext=(x0, y0), arrowprops=arrow)
        else:  # across at the start's height, then slanted into the node
            bend = x1 - 0.35 * COLUMN_GAP
            ax.plot([x0, bend], [y0, y0], color=FORWARD_COLOR, linewidth=1.4,
                    solid_capstyle="butt")
            direction = np.array([x1 - bend, y1 - y0])
            tip = np.array(end) - RADIUS * direction / np.linalg.norm(direction)
            ax.annotate("", xy=tuple(tip), xytext=(bend, y0), arrowprops=arrow)

        middle = (x0 + bend) / 2
        if from_node and to_node:  # an intermediate variable: its name, small, on top
            ax.text(middle, y0 + 0.42, name, ha="center", va="bottom", fontsize=9,
                    style="italic", color="#555555")
        ax.text(middle, y0 + 0.1, format_number(self.values[name]), ha="center", va="bottom",
                fontsize=12, color=FORWARD_COLOR, fontweight="bold")
        grad = self.grads.get(name)
        color = BACKWARD_COLOR if grad is not None else UNKNOWN_COLOR
        ax.annotate("", xy=(middle - 0.35, y0 - 0.16), xytext=(middle + 0.35, y0 - 0.16),
                    arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 1.2,
                                "mutation_scale": 10, "shrinkA": 0, "shrinkB": 0})
        ax.text(middle, y0 - 0.26, format_number(grad), ha="center", va="top", fontsize=12,
                color=color, fontweight="bold")

    def _draw_legend(self, ax):
        """Under the graph: what the black and the red numbers are, and why any '?'."""
        outputs = self.final_outputs()
        of = outputs[0] if len(outputs) == 1 else say("graph_output", self.lang)
        handles = [
            Line2D([], [], color=FORWARD_COLOR, marker=">", linewidth=1.4,
                   label=say("graph_forward_legend", self.lang)),
            Line2D([], [], color=BACKWARD_COLOR, marker="<", linewidth=1.2,
                   label=say("graph_backward_legend", self.lang, of=of)),
        ]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2,
                  frameon=False, fontsize=10, handlelength=2.2, borderaxespad=0.2)
        if any(grad is None for grad in self.grads.values()):
            reason = ("; ".join(dict.fromkeys(self.failures))
                      or say("graph_not_computed", self.lang))
            ax.annotate(say("graph_unknown", self.lang, reason=reason), xy=(0.5, 0.0),
                        xycoords="axes fraction", xytext=(0, -30), textcoords="offset points",
                        ha="center", va="top", fontsize=10, color=UNKNOWN_COLOR)


def _use_grads(graph, grads):
    """Run the layers' own backward (``grads`` None), or show the given gradients."""
    if grads is None:
        graph.backward(dout=1)
    else:
        graph.set_grads(grads)


def draw_apple_graph(mul_apple_layer, mul_tax_layer, grads=None, ax=None, lang=None):
    """The book's figure 5-16: price = apple × apple_num × tax, from the two MulLayers after
    their forward pass (the values are the ones they keep).

    ``grads``: {"apple": dapple, "apple_num": ..., "apple_price": ..., "tax": ...} computed
    by the notebook; by default the layers' own ``backward`` is run here with dprice = 1.
    ``lang``: of the words (default: the notebook's language). Returns the Figure.
    """
    graph = ComputationalGraph(title=say("graph_apple_title", lang), lang=lang)
    graph.add_layer(mul_apple_layer, "×", ["apple", "apple_num"], "apple_price")
    graph.add_layer(mul_tax_layer, "×", ["apple_price", "tax"], "price")
    _use_grads(graph, grads)
    return graph.draw(ax)


def draw_apple_orange_graph(mul_apple_layer, mul_orange_layer, add_apple_orange_layer,
                            mul_tax_layer, grads=None, ax=None, lang=None):
    """The book's figure 5-17: price = (apple × apple_num + orange × orange_num) × tax, from
    the four layers after their forward pass. The AddLayer keeps nothing: its inputs are the
    two MulLayers' results.

    ``grads``: {variable name: gradient} computed by the notebook (names as in the picture);
    by default the layers' own ``backward`` is run here with dprice = 1. Returns the Figure.
    """
    graph = ComputationalGraph(title=say("graph_apple_orange_title", lang), lang=lang)
    graph.add_layer(mul_apple_layer, "×", ["apple", "apple_num"], "apple_price")
    graph.add_layer(mul_orange_layer, "×", ["orange", "orange_num"], "orange_price")
    graph.add_layer(add_apple_orange_layer, "+", ["apple_price", "orange_price"], "all_price")
    graph.add_layer(mul_tax_layer, "×", ["all_price", "tax"], "price")
    _use_grads(graph, grads)
    return graph.draw(ax)


def draw_sigmoid_graph(x=1.0, dout=1.0, layer=None, ax=None, lang=None):
    """The sigmoid y = 1 / (1 + exp(-x)) node by node: ×(−1), exp, +1, 1/·.

    Forward values at scalar ``x``; the gradient on each edge is ``dout`` times the local
    derivatives met so far going backward (−1/u² with u = 1 + exp(−x), then 1, exp(−x),
    −1). The title shows that their product equals dout·y(1−y), the formula
    ``Sigmoid.backward`` uses. If ``layer`` (a Sigmoid) is given, its own forward and
    backward at ``x`` are run and their result is shown too. Returns the Figure.
    """
    x = float(x)
    minus_x = -x
    exp_minus_x = np.exp(minus_x)
    u = 1.0 + exp_minus_x
    y = 1.0 / u
    # backward, right to left: each gradient is the one after it times a local derivative
    dy = dout
    du = dy * (-1.0 / u**2)
    dexp = du * 1.0
    dminus_x = dexp * exp_minus_x
    dx = dminus_x * -1.0

    title = (say("graph_sigmoid_title", lang, x=format_number(x), dout=format_number(dout))
             + f"\ndx = dout·(−1/u²)·1·exp(−x)·(−1) = {format_number(dx)} "
             f"= dout·y(1−y) = {format_number(dout * y * (1 - y))}")
    if layer is not None:
        title += "\n" + say("graph_sigmoid_yours", lang,
                            dx=format_number(_sigmoid_layer_dx(layer, x, dout)))

    def local(derivative):
        return say("graph_local", lang, derivative=derivative)

    graph = ComputationalGraph(title=title, lang=lang)
    graph.add_input("x", x, grad=dx)
    graph.add_node("×(−1)", ["x"], "−x", minus_x, grad=dminus_x, note=local("−1"))
    graph.add_node("exp", ["−x"], "exp(−x)", exp_minus_x, grad=dexp,
                   note=local(f"exp(−x)\n= {format_number(exp_minus_x)}"))
    graph.add_node("+1", ["exp(−x)"], "u", u, grad=du, note=local("1"))
    graph.add_node("1/·", ["u"], "y", y, grad=dy,
                   note=local(f"−1/u²\n= {format_number(-1.0 / u**2)}"))
    return graph.draw(ax)


def _sigmoid_layer_dx(layer, x, dout):
    """``layer.backward(dout)`` after ``layer.forward(x)``, or None if it raises."""
    try:
        layer.forward(np.array([x]))
        return layer.backward(np.array([dout]))
    except Exception:  # not written yet, say: shown as '?'
        return None
