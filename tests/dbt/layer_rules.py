"""The dbt project's layer rules, as checks over a parsed manifest (dbt-project-evaluator's ideas,
written here because `dbt deps` cannot reach the package hub). Each check returns its violations as
sentences; an empty list means the project obeys the rule.

- a model lives in `models/<layer>/<folder>/`, its name says which folder: `stg_<source>__…` in
  `staging/<source>/`; `int_<family>` or `int_<family>__…` in `intermediate/<family>/`, except the
  shared foundations of FOLDER_OF; marts carry no layer prefix;
- staging reads sources and seeds; intermediate reads staging, intermediate and seeds; marts read
  intermediate models and seeds; any other read must be listed, with its reason, in
  dbt_project/layer_exceptions.yml — and a listed read the graph no longer has is a violation too;
- every model and every column it declares is described, in a YAML file of the model's own folder.
"""

from __future__ import annotations

from pathlib import PurePosixPath

LAYERS = ("staging", "intermediate", "marts")
# Families filed outside a folder of their own name: the foundations many areas read (calendar
# bounds read by 20 models, purchases by 16, customers…) live together in core/.
CORE = ("calendar", "customers", "customer_messages", "invitations", "purchases", "touches")
FOLDER_OF = {family: "core" for family in CORE} | {"order_lines": "orders"}
# What each layer may read without an exception: resource types, and model layers.
ALLOWED = {
    "staging": {"source", "seed"},
    "intermediate": {"seed", "staging", "intermediate"},
    "marts": {"seed", "intermediate"},
}


def models(manifest: dict) -> dict[str, dict]:
    return {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}


def place(node: dict) -> tuple[str, str]:
    """(layer, folder) of a model from its path `models/<layer>/<folder>/<name>.sql`."""
    parts = PurePosixPath(node["original_file_path"]).parts
    return (parts[1], parts[2]) if len(parts) == 4 else (parts[1] if len(parts) > 1 else "", "")


def expected_folder(name: str) -> str | None:
    """The folder a model's name files it in, None for a mart (named after its table)."""
    if name.startswith("stg_"):
        return name[len("stg_"):].split("__")[0]
    if name.startswith("int_"):
        family = name[len("int_"):].split("__")[0]
        return FOLDER_OF.get(family, family)
    return None


def folder_violations(manifest: dict) -> list[str]:
    out = []
    prefix = {"staging": "stg_", "intermediate": "int_", "marts": ""}
    for node in models(manifest).values():
        name, (layer, folder) = node["name"], place(node)
        if layer not in LAYERS or not folder:
            out.append(f"{name}: {node['original_file_path']} is not models/<layer>/<folder>/<name>.sql")
            continue
        starts = next((p for p in ("stg_", "int_") if name.startswith(p)), "")
        if starts != prefix[layer]:
            out.append(f"{name}: in {layer}/, whose models are named {prefix[layer] or 'without stg_/int_'}…")
        elif (want := expected_folder(name)) is not None and want != folder:
            out.append(f"{name}: in {layer}/{folder}/, its name files it in {layer}/{want}/")
    return out


def reads(manifest: dict) -> list[tuple[str, str, str]]:
    """(model name, what it reads: a name, its kind: source, seed or the model's layer)."""
    out = []
    for node in models(manifest).values():
        for parent in node["depends_on"]["nodes"]:
            kind = parent.split(".")[0]
            if kind == "model":
                upstream = manifest["nodes"][parent]
                out.append((node["name"], upstream["name"], place(upstream)[0]))
            else:
                out.append((node["name"], parent.split(".")[-1] if kind == "seed" else parent, kind))
    return out


def read_violations(manifest: dict, exceptions: list[dict]) -> list[str]:
    listed = {(e["model"], e["reads"]) for e in exceptions}
    layer_of = {n["name"]: place(n)[0] for n in models(manifest).values()}
    out, seen = [], set()
    for model, parent, kind in reads(manifest):
        seen.add((model, parent))
        if kind in ALLOWED.get(layer_of[model], set()):
            continue
        if kind == "source" or (model, parent) not in listed:
            out.append(f"{model} ({layer_of[model]}) reads {kind} {parent}"
                       + ("" if kind == "source" else ": not in dbt_project/layer_exceptions.yml"))
    for model, parent in sorted(listed - seen):
        out.append(f"exception {model} → {parent} no longer needed: {model} does not read {parent}")
    for e in exceptions:
        if not str(e.get("reason") or "").strip():
            out.append(f"exception {e['model']} → {e['reads']} gives no reason")
    return out


def doc_violations(manifest: dict) -> list[str]:
    out = []
    for node in models(manifest).values():
        name, patch = node["name"], node.get("patch_path") or ""
        folder = str(PurePosixPath(node["original_file_path"]).parent)
        if PurePosixPath(patch.split("://", 1)[-1]).parent.as_posix() != folder:
            out.append(f"{name}: no YAML twin in {folder}/ (described in {patch or 'no file'})")
        if not node.get("description", "").strip():
            out.append(f"{name}: no description")
        if not node["columns"]:
            out.append(f"{name}: no columns described")
        out += [f"{name}.{c}: no description" for c, col in node["columns"].items()
                if not (col.get("description") or "").strip()]
    return out
