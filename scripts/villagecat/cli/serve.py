"""villagecat serve [--port 8000]: build the site (every release when there are some), then serve it at http://127.0.0.1:PORT"""

HELP = "建站并在本机提供浏览 / build the site and serve it at http://127.0.0.1:8000"


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
    p.add_argument("--current-only", action="store_true",
                   help="只建当前工作区（有发布版本时默认建出全部版本）/ build only the working tree, not every release")


def run(args) -> int:
    import functools
    import http.server
    from pathlib import Path

    from villagecat.cli import UsageError
    from villagecat.cli.build import build, build_all
    from villagecat.release import ReleaseError, load_releases
    from villagecat.site.build import project_root

    if not args.no_build:
        try:
            releases = [] if args.current_only else load_releases(project_root("."))
        except ReleaseError as exc:
            raise UsageError(str(exc))
        rc = build_all(out=args.out) if releases else build(out=args.out)
        if rc:
            return rc
    if not Path(args.out).is_dir():
        raise UsageError(f"{args.out} 不存在，先运行 villagecat build / {args.out} does not exist: build first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(Path(args.out).resolve()))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        print(f"网站已在 http://127.0.0.1:{args.port}/ 提供（Ctrl+C 停止）/ serving at http://127.0.0.1:{args.port}/")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
