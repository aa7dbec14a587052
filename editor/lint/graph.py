"""Graph algorithms over widget names: reachability, dominators, strongly connected parts.

Plain functions over `{name: [successor, ...]}`; iterative throughout, so a 1,000-widget
chain never meets Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable

Edges = dict[str, list[str]]


def reachable(edges: Edges, starts: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = [s for s in starts if s in edges]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(n for n in edges.get(node, ()) if n not in seen)
    return seen


def reverse_postorder(edges: Edges, root: str) -> list[str]:
    order: list[str] = []
    seen = {root}
    stack: list[tuple[str, int]] = [(root, 0)]
    while stack:
        node, i = stack.pop()
        successors = edges.get(node, [])
        if i < len(successors):
            stack.append((node, i + 1))
            nxt = successors[i]
            if nxt not in seen and nxt in edges:
                seen.add(nxt)
                stack.append((nxt, 0))
        else:
            order.append(node)
    order.reverse()
    return order


class Dominators:
    """Who dominates whom from `root` (Cooper, Harvey and Kennedy's iterative algorithm):
    X dominates W when every path from the root to W goes through X."""

    def __init__(self, edges: Edges, root: str) -> None:
        order = reverse_postorder(edges, root)
        index = {n: i for i, n in enumerate(order)}
        preds: dict[str, list[str]] = {n: [] for n in order}
        for node in order:
            for nxt in edges.get(node, ()):
                if nxt in preds:
                    preds[nxt].append(node)
        idom: dict[str, str] = {root: root}
        changed = True
        while changed:
            changed = False
            for node in order[1:]:
                new = None
                for p in preds[node]:
                    if p in idom:
                        new = p if new is None else self._meet(p, new, idom, index)
                if new is not None and idom.get(node) != new:
                    idom[node] = new
                    changed = True
        self.idom = idom
        # Pre- and post-order numbers on the dominator tree answer "does X dominate W" in O(1).
        children: dict[str, list[str]] = {n: [] for n in idom}
        for node, parent in idom.items():
            if node != root:
                children[parent].append(node)
        self.enter: dict[str, int] = {}
        self.leave: dict[str, int] = {}
        clock = 0
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                self.leave[node] = clock
            else:
                self.enter[node] = clock
                stack.append((node, True))
                stack.extend((c, False) for c in children[node])
            clock += 1

    @staticmethod
    def _meet(a: str, b: str, idom: dict[str, str], index: dict[str, int]) -> str:
        while a != b:
            while index[a] > index[b]:
                a = idom[a]
            while index[b] > index[a]:
                b = idom[b]
        return a

    def dominates(self, x: str, w: str) -> bool:
        """Whether x dominates w (a node dominates itself); False for unreachable nodes."""
        if x not in self.enter or w not in self.enter:
            return False
        return self.enter[x] <= self.enter[w] and self.leave[w] <= self.leave[x]


def strongly_connected(edges: Edges) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively, in no particular order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    parts: list[list[str]] = []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges.get(node, [])
            recursed = False
            while i < len(successors):
                nxt = successors[i]
                i += 1
                if nxt not in edges:
                    continue
                if nxt not in index:
                    work.append((node, i))
                    work.append((nxt, 0))
                    recursed = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recursed:
                continue
            if low[node] == index[node]:
                part = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    part.append(top)
                    if top == node:
                        break
                parts.append(part)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return parts
