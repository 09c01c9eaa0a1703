"""The import-layer contract: store below jobs below bot, Slack only in bot/slack, no cycles.

Reads every import statement, those inside functions too, with ast; prints the module graph's
verdicts and exits 1 on any breach. Run: python .ci/layers.py
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("store", "jobs", "bot")  # lowest first: each may import only those before it
RANK = {name: i for i, name in enumerate(PACKAGES)}
SLACK = ("slack_bolt", "slack_sdk")
SLACK_HOME = "bot.slack"
# Libraries the data layer must not need (SPEC: store knows nothing of Slack or pictures).
NOT_IN_STORE = (*SLACK, "matplotlib", "icalendar", "waitress", "apscheduler")
SOFT_LINES, HARD_LINES = 300, 400


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(path: Path, name: str, is_package: bool) -> list[tuple[str, int]]:
    """Every module named by an import in `path`, with its line; relative imports resolved."""
    tree = ast.parse(path.read_text(), str(path))
    here = name if is_package else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.partition(".")[0] in PACKAGES:
                # "from bot import grammar" names the module bot.grammar; "from bot.grammar
                # import parse" names bot.grammar (resolve() finds the longest module).
                out += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
            else:
                out.append((base, node.lineno))
    return out


def resolve(target: str, known: dict[str, Path]) -> str | None:
    """The longest known module that `target` names (a name imported from it is not one)."""
    while target:
        if target in known:
            return target
        target = target.rpartition(".")[0]
    return None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def main() -> int:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    breaches: list[str] = []
    long_modules: list[str] = []
    for name, path in known.items():
        layer = name.partition(".")[0]
        rel = path.relative_to(ROOT)
        lines = len(path.read_text().splitlines())
        if lines > HARD_LINES:
            breaches.append(f"{rel}: {lines} lines (at most {HARD_LINES})")
        elif lines > SOFT_LINES:
            long_modules.append(f"{rel}: {lines} lines")
        for target, line in imports(path, name, path.name == "__init__.py"):
            top = target.partition(".")[0]
            if top in SLACK and not (name == SLACK_HOME or name.startswith(SLACK_HOME + ".")):
                breaches.append(f"{rel}:{line}: imports {target} outside {SLACK_HOME}")
            if layer == "store" and top in NOT_IN_STORE:
                breaches.append(f"{rel}:{line}: store imports {target}")
            if top in RANK and RANK[top] > RANK[layer]:
                breaches.append(f"{rel}:{line}: {layer} imports {target}, a layer above it")
            module = resolve(target, known)
            # Importing bot.render.text runs bot/render/__init__ first, but that is Python's
            # doing, not a dependency: only the modules an import names are edges.
            if module and module != name:
                graph[name].add(module)
    loops = cycles(graph)
    breaches += [f"import cycle: {' <-> '.join(c)}" for c in loops]
    edges = sum(len(v) for v in graph.values())
    print(f"layers: {len(known)} modules, {edges} imports between them (function-level too)")
    print(
        f"layers: order {' < '.join(PACKAGES)}; Slack only under {SLACK_HOME}; cycles: {len(loops)}"
    )
    for note in long_modules:
        print(f"layers: note: {note} (over {SOFT_LINES})")
    for breach in breaches:
        print(f"layers: BROKEN: {breach}")
    print("layers: contract kept" if not breaches else f"layers: {len(breaches)} breaches")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
