#!/usr/bin/env python3
"""The release build of the browser app, split into a first load and lazily loaded chunks.

    python3 scripts/build_web.py [dist]

Steps, each a pinned tool the install script provides (scripts/install-tools.sh):

1. `cargo build --release` for wasm32, linked with `--emit-relocs` so the splitter can see
   which function and data each function uses;
2. `wasm-split-cli` cuts the module at the functions marked `#[lazy]` (Leptos's split points):
   the main module keeps everything the first screen needs, each split point gets its own
   module, and code several split points share goes into shared chunks;
3. `wasm-bindgen --target web --keep-lld-exports` on the main module (the chunks import the
   table, memory and stack pointer the linker exported), without the stream classes of
   Leptos's server functions (`drop_stream_exports`);
4. `wasm-opt -Os` on every module (npm binaryen 132: Debian's older wasm-opt breaks the app);
5. esbuild minifies the JavaScript and the stylesheet, and the main module's imports from its
   glue get short names in both (`shorten_imports`);
6. every file gets a content hash in its name (the two JavaScript modules import each other, so
   they share one hash of the whole build), and `index.html`'s placeholders are filled with
   relative URLs, so the app works from any path (a GitHub Pages project site is served
   under `/<repo>/`); last, its Content-Security-Policy gets the hash of the inline loader
   script as served (`@SCRIPT_HASH@`);
7. the installable app's files: the web manifest and its icons as they are, and the service
   worker (`sw.js`) filled with the build's hash (its cache's version) and the list of files
   the first load fetches (what it keeps for offline use).

Trunk 0.22 has no step between linking and wasm-bindgen, which splitting needs: this script is
the project's whole release pipeline. The first-load budget (scripts/bundle_size.py) counts
what `index.html` loads and what those modules import, not the chunks loaded on demand.
"""
import base64
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = "tablero-app"
# What rustc 1.95 emits for wasm32-unknown-unknown: wasm-opt must accept all of it.
WASM_FEATURES = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
]


# `-Os` rather than `-Oz`: measured on the first load's module, -Os comes out ~860 B smaller
# after gzip (-Oz's extra size passes make code that compresses worse), and the producers and
# target-features sections are for linkers, not browsers (~190 B). Rust links the stack
# first (it grows down towards address 0 from 1 MiB, and the data follows it), so the low
# 1 KiB of memory is never used and loads and stores can fold their offsets
# (`--low-memory-unused`).
WASM_OPT = ["-Os", "--strip-producers", "--strip-target-features", "--low-memory-unused"]
# `TABLERO_PROFILE_NAMES=1` keeps the functions' names (`-g`), for a profile of a build
# that is otherwise the release one (never for `dist/` as shipped: names are bytes).
if os.environ.get("TABLERO_PROFILE_NAMES"):
    WASM_OPT.append("-g")
# The main module defines the memory and is instantiated with it fresh, all zeros: its data
# segments need not write zeros (the chunks' are applied to a memory already in use). It is
# the first load, so its passes run again until they gain nothing (~200 B of gzip).
WASM_OPT_MAIN = ["--zero-filled-memory", "--converge"]


def run(*cmd, env=None):
    print("[build]", " ".join(str(c) for c in cmd), file=sys.stderr)
    subprocess.run([str(c) for c in cmd], check=True, env=env, cwd=ROOT)


# A built file's content hash in its name: 10 hex digits (40 bits) tell builds apart, and the
# loader names every chunk (~90), so each digit costs ~90 bytes of first load. The service
# worker knows a built file by it (sw.js's @HASH_DIGITS@).
HASH_DIGITS = 10


def digest(data):
    return hashlib.sha256(data).hexdigest()[:HASH_DIGITS]


def cargo_home():
    return pathlib.Path(os.environ.get("CARGO_HOME") or pathlib.Path.home() / ".cargo")


def remapped_paths():
    """`--remap-path-prefix` for every crate source directory and the checkout, so the panic
    locations in the shipped wasm name no machine path (and are shorter). Read after
    `cargo fetch`: on a fresh machine the registry's directories only exist once the crates
    are downloaded, so a list made before the build is empty there.
    """
    run("cargo", "fetch", "--locked")
    sources = sorted(p for p in (cargo_home() / "registry" / "src").glob("*") if p.is_dir())
    return [f"--remap-path-prefix={p}/=" for p in [*sources, ROOT]]


def cargo_build():
    env = dict(os.environ)
    var = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS"
    # The same flag as .cargo/config.toml (which an environment variable would override).
    flags = env.get(var) or "--cfg erase_components"
    env[var] = " ".join([flags, *remapped_paths(), "-C", "link-args=--emit-relocs"])
    run("cargo", "build", "--release", "--locked", "--target", "wasm32-unknown-unknown",
        "--bin", BIN, env=env)
    target = pathlib.Path(env.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "wasm32-unknown-unknown" / "release" / f"{BIN}.wasm"


def minify(path):
    # Errors only: wasm-bindgen's glue names the loader module twice in one object literal
    # (one key per import block), which esbuild warns about; both are the same module.
    run("esbuild", path, "--minify", f"--outfile={path}", "--allow-overwrite",
        "--log-level=error")


def build(dist):
    linked = cargo_build()
    with tempfile.TemporaryDirectory(prefix="tablero-web-") as tmp:
        tmp = pathlib.Path(tmp)
        split, pkg = tmp / "split", tmp / "pkg"
        split.mkdir()
        pkg.mkdir()
        run("wasm-split-cli", "--out-name", "app", linked, split)
        run("wasm-bindgen", "--target", "web", "--no-typescript", "--keep-lld-exports",
            "--out-dir", pkg, "--out-name", "app", split / "app.wasm")
        wasm, glue = drop_stream_exports((pkg / "app_bg.wasm").read_bytes(), (pkg / "app.js").read_text())
        (pkg / "app_bg.wasm").write_bytes(wasm)
        (pkg / "app.js").write_text(glue)
        # The loader wasm-split wrote imports `initSync` from "./app.js" and fetches each
        # chunk by its file name relative to itself.
        chunks = sorted(p.name for p in split.glob("*.wasm") if p.name != "app.wasm")
        loader = one_chunk_loader((split / "__wasm_split.js").read_text(), chunks)
        (pkg / "__wasm_split.js").write_text(loader)
        for name in chunks:
            run("wasm-opt", *WASM_OPT, *WASM_FEATURES, split / name, "-o", pkg / name)
        run("wasm-opt", *WASM_OPT, *WASM_OPT_MAIN, *WASM_FEATURES, pkg / "app_bg.wasm", "-o",
            pkg / "app_bg.wasm")
        for name in ("app.css", "parts.css"):
            shutil.copy(ROOT / "style" / name, pkg / name)
        # The icon, without its comments and indentation.
        icon = (ROOT / "style" / "favicon.svg").read_text()
        icon = "".join(line.strip() for line in re.sub(r"<!--.*?-->", "", icon, flags=re.S).splitlines())
        (pkg / "favicon.svg").write_text(icon)
        for name in ("manifest.webmanifest", "icon.svg", "icon-192.png", "icon-512.png", "sw.js"):
            shutil.copy(ROOT / "style" / name, pkg / name)
        for name in ("app.js", "__wasm_split.js", "app.css", "parts.css"):
            minify(pkg / name)
        wasm, glue = shorten_imports((pkg / "app_bg.wasm").read_bytes(), (pkg / "app.js").read_text())
        wasm, glue = shorten_exports(wasm, glue)
        (pkg / "app_bg.wasm").write_bytes(wasm)
        (pkg / "app.js").write_text(glue)
        publish(pkg, chunks, dist)


def sections(wasm):
    """(id, body) of every section of a wasm module, in order."""
    i = 8
    while i < len(wasm):
        size, start = leb128(wasm, i + 1)
        yield wasm[i], wasm[start:start + size]
        i = start + size


def drop_stream_exports(wasm, glue):
    """The main module without the JavaScript stream classes Leptos's server functions export
    (`server_fn` -> `wasm-streams`: `IntoUnderlyingSource`, `...Sink`, `...ByteSource`).

    Leptos depends on `server_fn` whatever its features, and wasm-bindgen exports every
    `#[wasm_bindgen]` type it finds, so the glue gets three classes and the wasm their
    methods, which only a server function's streaming would call (a client-rendered app has
    none). Their exports go before wasm-opt, which then drops the code only they reach, and
    their classes and finalizers leave the glue. The build stops if anything of them is left
    in the glue (a wasm-bindgen that writes them differently).
    """
    def stream(name):
        return name.startswith(("intounderlying", "__wbg_intounderlying"))

    out = bytearray(wasm[:8])
    for section, body in sections(wasm):
        if section == 7:
            count, k = leb128(body, 0)
            kept = []
            for _ in range(count):
                start = k
                length, k = leb128(body, k)
                name = body[k:k + length].decode()
                k = leb128(body, k + length + 1)[1]
                if not stream(name):
                    kept.append(body[start:k])
            body = to_leb128(len(kept)) + b"".join(kept)
        out += bytes([section]) + to_leb128(len(body)) + body
    glue = re.sub(
        r"export class (IntoUnderlying\w+) \{\n.*?\n\}\nif \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n",
        "", glue, flags=re.S)
    glue = re.sub(r"const IntoUnderlying\w+Finalization = [^;]*;\n", "", glue)
    glue = re.sub(r"const __wbindgen_enum_ReadableStreamType = [^;]*;\n", "", glue)
    if re.search("intounderlying", glue, flags=re.I):
        sys.exit("drop_stream_exports: the stream classes are still in the glue")
    return bytes(out), glue


def leb128(data, i):
    """The unsigned LEB128 number at `data[i:]`, and the index after it."""
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def to_leb128(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def short_names():
    """a, b, ..., Z, aa, ab, ...: names that are identifiers, shortest first."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    yield from letters
    for first in letters:
        for second in letters + "0123456789":
            yield first + second


def shorten_imports(wasm, glue, module="./app_bg.js", short_module="a"):
    """The main module's imports from its glue renamed a, b, c, ... in the wasm and in the
    glue's imports object alike, and the module they come from `a` (its name is in each of
    the ~240 entries of the import section).

    wasm-bindgen names each import after its Rust binding plus a 16-digit hash
    (`__wbg_setAttribute_2b3f0c...`), once in the wasm's import section and once as a key of
    the glue's imports object: ~240 imports, ~7 KB of gzip (the hashes hardly compress).
    binaryen's `--minify-imports` renames only `env` imports. The chunks import nothing from
    the glue (only the table, memory and shared globals, by their export names, which stay),
    so the import section is the only place in the wasm that names them. The build stops if
    a name is not exactly one key of the glue, or appears in it elsewhere.
    """
    out, renamed, names = bytearray(wasm[:8]), {}, short_names()
    for section, body in sections(wasm):
        if section != 2:
            out += bytes([section]) + to_leb128(len(body)) + body
            continue
        count, k = leb128(body, 0)
        new = bytearray(to_leb128(count))
        for _ in range(count):
            length, k = leb128(body, k)
            mod, k = body[k:k + length], k + length
            length, k = leb128(body, k)
            name, k = body[k:k + length], k + length
            desc_start, kind = k, body[k]
            k += 1
            if kind == 0:  # function: type index
                k = leb128(body, k)[1]
            elif kind in (1, 2):  # table (element type, limits), memory (limits)
                k += kind == 1
                flags = body[k]
                k = leb128(body, k + 1)[1]
                if flags & 1:
                    k = leb128(body, k)[1]
            elif kind == 3:  # global: value type, mutability
                k += 2
            else:
                sys.exit(f"shorten_imports: import kind {kind} not known")
            if mod.decode() == module:
                name = renamed.setdefault(name.decode(), next(names)).encode()
                mod = short_module.encode()
            new += to_leb128(len(mod)) + mod + to_leb128(len(name)) + name + body[desc_start:k]
        out += bytes([2]) + to_leb128(len(new)) + new
    module_key = re.compile(r"""(["'])""" + re.escape(module) + r"\1(?=\s*:)")
    if len(module_key.findall(glue)) != 1:
        sys.exit(f"shorten_imports: {module} is not one key of the glue")
    glue = module_key.sub(short_module, glue)
    for old, short in renamed.items():
        key = re.compile(r"(?<![\w$])" + re.escape(old) + r"(?=\s*:)")
        if len(key.findall(glue)) != 1:
            sys.exit(f"shorten_imports: {old} is not one key of the glue")
        glue = key.sub(short, glue)
        if re.search(r"(?<![\w$])" + re.escape(old) + r"(?![\w$])", glue):
            sys.exit(f"shorten_imports: {old} is named in the glue beyond its key")
    return bytes(out), glue


def shorten_exports(wasm, glue):
    """The main module's functions that only the glue calls renamed a, b, c, ... in the wasm's
    export section and in the glue's calls (`wasm.name(`) alike.

    wasm-bindgen exports each closure's entry point under a name with a 16-digit hash
    (`wasm_bindgen__convert__closures_____invoke__h43459616afefdbad`), which hardly
    compresses, once in the wasm and once in the glue. What the chunks and the split loader
    take from the main module (its memory, table and shared globals) are not functions and
    keep their names; a function the glue does not call (`main`) keeps its own. The build
    stops if a renamed name is still in the glue.
    """
    out, renamed, names = bytearray(wasm[:8]), {}, short_names()
    for section, body in sections(wasm):
        if section == 7:
            count, k = leb128(body, 0)
            new = bytearray(to_leb128(count))
            for _ in range(count):
                length, k = leb128(body, k)
                name, k = body[k:k + length].decode(), k + length
                desc_start, kind = k, body[k]
                k = leb128(body, k + 1)[1]
                if kind == 0 and re.search(r"\." + re.escape(name) + r"(?![\w$])", glue):
                    name = renamed.setdefault(name, next(names))
                new += to_leb128(len(name)) + name.encode() + body[desc_start:k]
            body = bytes(new)
        out += bytes([section]) + to_leb128(len(body)) + body
    for old, short in renamed.items():
        glue = re.sub(r"\." + re.escape(old) + r"(?![\w$])", "." + short, glue)
        if re.search(r"(?<![\w$])" + re.escape(old) + r"(?![\w$])", glue):
            sys.exit(f"shorten_exports: {old} is named in the glue other than as wasm.{old}")
    return bytes(out), glue


# How wasm-split's loader fetches one module (a split point's or a shared chunk): the same
# ten lines for each of ~160 modules, with its file name in them.
CHUNK_FETCH = re.compile(
    r"""makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./(\w+)\.wasm", import\.meta\.url\)\);\s*"""
    r"""src\.catch\(\(\) => \{\}\);\s*return async \(imports\) => \(WebAssembly\.instantiateStreaming\(src, imports\)\);\s*\}\s*,""")
# The one function that fetches a module. A module counts as loaded once the parts'
# stylesheet (`style/parts.css`: the cards' and the dialogs' looks, which index.html names
# but does not link) has loaded too, or failed to: it is linked with the first module
# fetched, in parallel with it, so the first load does not carry it and no part is ever
# drawn unstyled.
CHUNK_LOAD = """
let partsStyle;
function stylesheet() {
    if (partsStyle === undefined) {
        const meta = document.querySelector("meta[name=parts-style]");
        partsStyle = meta ? new Promise((done) => {
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.integrity = meta.dataset.integrity;
            link.href = meta.content;
            link.onload = link.onerror = done;
            document.head.append(link);
        }) : Promise.resolve();
    }
    return partsStyle;
}
function chunkLoad(name, deps) {
    return makeLoad(() => {
        const style = stylesheet();
        const src = fetch(new URL(`./${name}-@BUILD@.wasm`, import.meta.url));
        src.catch(() => {});
        return async (imports) => (await Promise.all([WebAssembly.instantiateStreaming(src, imports), style]))[0];
    }, deps);
}
"""


def module_name(module):
    """A shared chunk's name as published: `c16` for wasm-split's `chunk_16` (~170 modules,
    each named in the loader: −80 B of the first load's gzip)."""
    return re.sub(r"^chunk_", "c", module)


def one_chunk_loader(loader, chunks):
    """wasm-split's loader with one function that fetches a module by its name, instead of
    the same code written out for each, and the modules named by the build's hash (filled
    in by `publish`) instead of each by its own: ~160 hashes of 10 hex digits and the
    repeated code cost ~1.4 KB of the first load's gzip. The build stops if any module is
    still fetched some other way (a wasm-split that writes its loader differently)."""
    if "@BUILD@" in loader:
        sys.exit("one_chunk_loader: wasm-split's loader already says @BUILD@")
    fetched = [m.group(1) + ".wasm" for m in CHUNK_FETCH.finditer(loader)]
    loader = CHUNK_FETCH.sub(lambda m: f'chunkLoad("{module_name(m.group(1))}",', loader)
    if "fetch(" in loader or sorted(fetched) != chunks:
        sys.exit("one_chunk_loader: wasm-split's loader does not fetch each chunk as expected")
    return loader + CHUNK_LOAD


def publish(pkg, chunks, dist):
    """Names with the build's hash, the references rewritten to them, and index.html filled
    in. The chunks are named by the build's hash, not each by its own: a build changes most
    of them anyway (the functions' indices move), and the loader then names each once."""
    styles = ["app.css", "parts.css"]
    contents = {name: digest((pkg / name).read_bytes()) for name in chunks + ["app_bg.wasm"] + styles}
    app_js = (pkg / "app.js").read_text()
    loader_js = (pkg / "__wasm_split.js").read_text()
    # The two modules import each other, and the loader names the chunks: one hash of the
    # whole build names them all.
    build_id = digest((app_js + loader_js + "".join(sorted(contents.values()))).encode())
    renamed = {}
    for name in chunks:
        renamed[name] = f"{module_name(name.rsplit('.', 1)[0])}-{build_id}.wasm"
    renamed["app_bg.wasm"] = f"app-{contents['app_bg.wasm']}.wasm"
    for name in styles:
        renamed[name] = f"{name[:-4]}-{contents[name]}.css"
    renamed["app.js"] = f"app-{build_id}.js"
    renamed["__wasm_split.js"] = f"split-{build_id}.js"
    if loader_js.count("@BUILD@") != 1:
        sys.exit("publish: the loader does not name the chunks by @BUILD@ once")
    (pkg / "__wasm_split.js").write_text(loader_js.replace("@BUILD@", build_id))

    def relink(text):
        # Module specifiers (`from "./x"`, `import "./x"`) and fetched URLs
        # (`new URL("./x", import.meta.url)`) are rewritten. Nothing else: the glue's imports
        # object is keyed by the module name *inside* the wasm ("./__wasm_split.js"), which
        # stays as it is.
        def sub(m):
            return f"{m.group(1)}{m.group(2)}./{renamed.get(m.group(3), m.group(3))}{m.group(2)}"
        return re.sub(r"""(from\s*|import\s*|URL\(\s*)(["'])\./([A-Za-z0-9_.\-]+)\2""", sub, text)

    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    for name, new in renamed.items():
        data = (pkg / name).read_bytes()
        if name.endswith(".js"):
            data = relink(data.decode()).encode()
        (dist / new).write_bytes(data)
    for js in ("app.js", "__wasm_split.js"):
        text = (dist / renamed[js]).read_text()
        left = [n for n in renamed if re.search(rf"""(from|import|URL\()\s*["']\./{re.escape(n)}["']""", text)]
        if left:
            sys.exit(f"{js} still refers to {left} by its unhashed name")

    def integrity(name):
        return "sha384-" + base64.b64encode(hashlib.sha384((dist / renamed[name]).read_bytes()).digest()).decode()

    page = (ROOT / "index.html").read_text()
    fills = {
        "@CSS@": "./" + renamed["app.css"],
        "@CSS_INTEGRITY@": integrity("app.css"),
        # Named in a meta element, not linked: the app links it with the first part that
        # needs it (the split loader's `stylesheet`), so the first load does not fetch it.
        "@PARTS_CSS@": "./" + renamed["parts.css"],
        "@PARTS_CSS_INTEGRITY@": integrity("parts.css"),
        "@JS@": "./" + renamed["app.js"],
        "@JS_INTEGRITY@": integrity("app.js"),
        "@WASM@": "./" + renamed["app_bg.wasm"],
    }
    for key, value in fills.items():
        if key not in page:
            sys.exit(f"index.html lacks the placeholder {key}")
        page = page.replace(key, value)
    # Served as written: the template's comments and indentation go.
    page = re.sub(r"<!--.*?-->", "", page, flags=re.S)
    page = "".join(line.strip() for line in page.splitlines())
    page = fill_script_hash(page)
    (dist / "index.html").write_text(page)
    # Named as index.html links them: the browser asks for them by these names.
    for name in ("favicon.svg", "manifest.webmanifest", "icon.svg", "icon-192.png", "icon-512.png"):
        shutil.copy(pkg / name, dist / name)
    shell = ["./"] + [renamed[n] for n in ("app.css", "parts.css", "app.js", "__wasm_split.js", "app_bg.wasm")]
    shell += ["favicon.svg", "manifest.webmanifest"]
    worker = (pkg / "sw.js").read_text()
    for key, value in {"@VERSION@": build_id,
                       "@SHELL@": json.dumps(["./" + n if n != "./" else n for n in shell]),
                       "@HASH_DIGITS@": str(HASH_DIGITS)}.items():
        if key not in worker:
            sys.exit(f"sw.js lacks the placeholder {key}")
        worker = worker.replace(key, value)
    (dist / "sw.js").write_text(worker)
    minify(dist / "sw.js")
    for name in sorted(os.listdir(dist)):
        print(f"[build] dist/{name}", file=sys.stderr)
    check_no_machine_paths(dist)


def check_no_machine_paths(dist):
    """A built file that names this machine's crate sources or checkout (a panic location
    whose path was not remapped) fails the build: it would ship the builder's paths."""
    for path in sorted(dist.iterdir()):
        data = path.read_bytes()
        for machine in (cargo_home(), ROOT):
            if str(machine) != "/" and (str(machine) + "/").encode() in data:
                sys.exit(f"{path.name} names the machine path {machine}/: remap it")


def fill_script_hash(page):
    """The Content-Security-Policy allows the one inline script by the hash of its text as
    served (after the fills and the whitespace removal), so `@SCRIPT_HASH@` is filled last."""
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.S)
    if len(scripts) != 1 or page.count("@SCRIPT_HASH@") != 1:
        sys.exit("index.html must have one inline script and one @SCRIPT_HASH@ (its CSP hash)")
    text = scripts[0].encode()
    return page.replace(
        "@SCRIPT_HASH@", "sha256-" + base64.b64encode(hashlib.sha256(text).digest()).decode())


def main(argv):
    dist = pathlib.Path(argv[0]) if argv else ROOT / "dist"
    build(dist.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
