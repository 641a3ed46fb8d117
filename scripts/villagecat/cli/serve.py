"""villagecat serve [--port 8000]: build the working tree's site and serve it at http://127.0.0.1:PORT,
rebuilding and reloading the browser whenever catalogues/, sources/, schemas/, docs/, site_config/
or mkdocs.yml change (mkdocs' own live-reload server). --all-releases serves every release instead,
built once."""

HELP = "建站并在本机提供浏览，编辑后自动重建 / build the site, serve it at http://127.0.0.1:8000 and rebuild on edits"

# What a change to rebuilds the site: the data, the hand-written pages and the site's templates.
WATCHED = ("catalogues", "sources", "schemas", "docs", "site_config", "mkdocs.yml")


def _port(text: str) -> int:
    import argparse

    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应为 1–65535 的整数 / port must be 1–65535: {text!r}")
    return port


def register(p):
    p.add_argument("--port", type=_port, default=8000, help="端口（默认 8000）/ port")
    p.add_argument("--out", default="site", help="输出目录（默认 site）/ output folder")
    p.add_argument("--no-build", action="store_true", help="不重新建站，直接提供已有的 site/ / serve without building")
    p.add_argument("--all-releases", action="store_true",
                   help="建出全部发布版本后提供（不自动重建）/ build every release once and serve them (no live reload)")
    p.add_argument("--current-only", action="store_true",
                   help="只建当前工作区（默认如此，保留以兼容）/ build only the working tree (the default; kept for old scripts)")


def _static(out, port: int) -> int:
    import functools
    import http.server
    from pathlib import Path

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(Path(out).resolve()))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"网站已在 http://127.0.0.1:{port}/ 提供（Ctrl+C 停止）/ serving at http://127.0.0.1:{port}/", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def _live(out, port: int) -> int:
    """Build the working tree, serve it, and rebuild on every change under :data:`WATCHED`."""
    import sys
    import time
    from pathlib import Path

    from mkdocs.livereload import LiveReloadServer

    from villagecat.site.build import build_site, project_root

    root = project_root(".")
    out = Path(out).resolve()

    def rebuild() -> None:
        t0 = time.perf_counter()
        try:
            r = build_site(out=out, root=root, jobs=1)  # the live-reload server runs builds in a thread: no fork
        except Exception as exc:  # noqa: BLE001  (a bad edit must not stop the server: say it, keep the last site)
            print(f"重建失败，仍显示上一次的结果 / rebuild failed, still serving the last build: {type(exc).__name__}: {exc}",
                  file=sys.stderr, flush=True)
            raise
        print(f"已重建 / rebuilt: {r.pages} 个生成页面 / generated pages, {time.perf_counter() - t0:.1f} s", flush=True)

    try:
        rebuild()
    except Exception:  # noqa: BLE001
        return 1
    server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(out))

    def not_found(code: int) -> bytes | None:
        page = out / "404.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.error_handler = not_found
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    print(f"网站已在 http://127.0.0.1:{port}/ 提供，编辑后自动重建（Ctrl+C 停止）"
          f"/ serving at http://127.0.0.1:{port}/, rebuilding on edits", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def run(args) -> int:
    from pathlib import Path

    from villagecat.cli import UsageError
    from villagecat.cli.build import build_all
    from villagecat.release import ReleaseError, load_releases
    from villagecat.site.build import project_root

    if args.no_build:
        if not Path(args.out).is_dir():
            raise UsageError(f"{args.out} 不存在，先运行 villagecat build / {args.out} does not exist: build first")
        return _static(args.out, args.port)
    try:  # release records are verified first, whichever is served: a tampered releases.yaml is refused
        releases = load_releases(project_root("."))
    except ReleaseError as exc:
        raise UsageError(str(exc))
    if args.all_releases:
        if releases:
            rc = build_all(out=args.out)
            return rc or _static(args.out, args.port)
    return _live(args.out, args.port)
