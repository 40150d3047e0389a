"""Serve the Homeward apps through Voila: ``python -m widgets.serve [--port 8866]``.

Every setting that makes a Homeward page light lives here and in ``widgets/apps/voila.json``,
for the three ways the apps are served:

- ``python -m widgets.serve`` (``make serve``, the tests, the benchmarks): a standalone Voila
  with the settings of ``voila.json`` and :func:`configure_web_app`;
- Binder and the workshop hub: Voila inside Jupyter Server. ``python -m widgets.serve
  --install`` (``binder/postBuild``; :func:`install`) copies the Homeward template into the
  environment, writes Voila's settings (:func:`voila_config`) where Voila's server extension
  reads them (``etc/jupyter/voila.json``), and enables this module as a server extension
  (``_load_jupyter_server_extension``), which applies :func:`configure_web_app`;
- ``--stock``: the same apps with Voila's own lab template and none of this, to compare.

``python -m widgets.serve --course`` (``make serve``) serves the whole course: it builds the
course site (:mod:`widgets.site`: the apps, every lesson in each language, the home pages) and
serves it, the home page at the server's address (``/``, in her language: ``?lang=``, else her
cookie, else her browser's languages) and the apps at their usual addresses
(``/voila/render/savings.ipynb``).

What :func:`configure_web_app` adds to a Tornado application:

- gzip on every response (Tornado's ``GZipContentEncoding``; Voila applies ``voila.json``'s
  ``tornado_settings`` after its application is built, too late for ``compress_response``),
  including the page itself while it streams, and compressed websocket messages;
- a year-long, immutable cache for files whose address carries their content hash (the
  Homeward template's files, ``?v=<hash>``; JupyterLab extensions' hashed chunks), so a second
  visit downloads nothing but the page and the widgets' state;
- a lesson's page rendered at build time (:mod:`widgets.prerender`) served as it is, without
  a kernel, when the site has one for that address and it is not stale (``?live=1`` asks for
  the lesson run live by Voila, as the page's live tools do);
- her language and currency remembered: the page sets the cookies ``homeward_lang`` and
  ``homeward_currency`` when she picks them; coming back to an address without ``?lang=`` or
  ``?currency=``, the server redirects to the same address with them (before a kernel is
  used), so the kernel renders her page in her language from the first byte. The query
  parameter wins over the cookie; nothing else is stored.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
from pathlib import Path

from tornado.web import GZipContentEncoding, OutputTransform, RequestHandler

WIDGETS_DIR = Path(__file__).resolve().parent
APPS_DIR = WIDGETS_DIR / "apps"
CONFIG_FILE = APPS_DIR / "voila.json"
#: The Jupyter data folder that holds the Homeward Voila template (``voila/templates/homeward``).
JUPYTER_DATA = WIDGETS_DIR / "page" / "share" / "jupyter"
TEMPLATE = "homeward"
TEMPLATE_DIR = JUPYTER_DATA / "voila" / "templates" / TEMPLATE
#: The page script and stylesheet ``npm run build`` writes (not in git).
BUILT_FILES = ("homeward.js", "homeward.css")
APPS = {
    "savings": "Savings simulator",
    "action_plan": "Local reintegration action plan (seminar)",
    "business": "Business-plan simulator",
    "mentoring": "Facilitator dashboard (mentoring and progress)",
    "form": "Answer forms (exercises and check-ins; ?assignment=ee03_saving)",
}
LANGUAGE_COOKIE, CURRENCY_COOKIE = "homeward_lang", "homeward_currency"
IMMUTABLE = "public, max-age=31536000, immutable"
#: Addresses whose content never changes: hashed names, or a ``?v=<hash>`` version.
_HASHED = re.compile(r"/voila/(labextensions/.*\.[0-9a-f]{16,}\.js|templates/[^/]+/static/.*)$")
#: The Tornado setting that holds the site's pre-rendered lesson pages (widgets.prerender).
PAGES_SETTING = "homeward_pages"
#: What ``--public`` serves: the simulators, never the dashboard (no course data behind it).
PUBLIC_APPS = ("savings", "business", "action_plan")


def voila_settings() -> dict:
    """The Voila settings of ``widgets/apps/voila.json`` (``make serve``, tests, Binder, hub)."""
    return json.loads(CONFIG_FILE.read_text())


def voila_config(standalone: bool = True) -> dict:
    """``voila.json``'s settings, plus what the template needs: the words of every page in every
    language (the tab title, the loading words), from the gettext catalogs.

    Pre-heated kernels are a standalone-Voila feature, left out for Jupyter Server.
    """
    from widgets.page import page_words

    settings = voila_settings()
    voila = dict(settings["VoilaConfiguration"])
    if not standalone:
        voila = {k: v for k, v in voila.items() if k not in ("preheat_kernel", "default_pool_size")}
    voila["resources"] = {"homeward": {"words": page_words()}}
    return {**settings, "VoilaConfiguration": voila}


def app_url(base: str, app: str, **query: str) -> str:
    """The address of one app on a standalone Voila server.

    >>> app_url("http://localhost:8866", "savings")
    'http://localhost:8866/voila/render/savings.ipynb'
    >>> app_url("http://localhost:8866", "savings", lang="fil", currency="PHP")
    'http://localhost:8866/voila/render/savings.ipynb?lang=fil&currency=PHP'
    """
    address = f"{base.rstrip('/')}/voila/render/{app}.ipynb"
    return address + ("?" + urllib.parse.urlencode(query) if query else "")


def remembered_query(query: str, cookies: dict[str, str]) -> str | None:
    """The query string to redirect to when she comes back without her language or currency.

    ``None`` when there is nothing to add: the address names them already (the address wins),
    or she has no cookie from an earlier visit.

    >>> remembered_query("", {"homeward_lang": "fil", "homeward_currency": "PHP"})
    'lang=fil&currency=PHP'
    >>> remembered_query("token=abc", {"homeward_lang": "id"})
    'token=abc&lang=id'
    >>> remembered_query("lang=en", {"homeward_lang": "fil"}) is None
    True
    >>> remembered_query("", {"homeward_lang": "<script>"}) is None
    True
    """
    from widgets.i18n import LANGUAGES
    from widgets.money import CURRENCIES

    params = urllib.parse.parse_qs(query, keep_blank_values=True)
    if "lang" in params or "currency" in params:
        return None
    add = {}
    if cookies.get(LANGUAGE_COOKIE) in LANGUAGES:
        add["lang"] = cookies[LANGUAGE_COOKIE]
    if cookies.get(CURRENCY_COOKIE) in CURRENCIES:
        add["currency"] = cookies[CURRENCY_COOKIE]
    if not add:
        return None
    return "&".join(part for part in (query, urllib.parse.urlencode(add)) if part)


class CacheHashed(OutputTransform):
    """Let the browser keep files whose address changes with their content, for a year."""

    def __init__(self, request):
        self._immutable = bool(_HASHED.search(request.path)) and (
            "v" in request.query_arguments or "/labextensions/" in request.path)

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if self._immutable and status_code == 200:
            headers["Cache-Control"] = IMMUTABLE
            headers.pop("Expires", None)
        return status_code, headers, chunk


def home_language(query_lang: str | None, cookie_lang: str | None, accept: str,
                  available=("en", "fil", "id")) -> str:
    """The language of the home page: the address's, else her cookie's, else the first of her
    browser's languages the course has (``tl`` is Filipino's other code), else English.

    >>> home_language("id", "fil", "")
    'id'
    >>> home_language(None, "fil", "en-US,en")
    'fil'
    >>> home_language(None, None, "tl-PH,tl;q=0.9,en;q=0.8"), home_language("xx", None, "de")
    ('fil', 'en')
    """
    for choice in (query_lang, cookie_lang):
        if choice in available:
            return choice
    for part in accept.split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        code = {"tl": "fil", "in": "id"}.get(code, code)
        if code in available:
            return code
    return "en"


class HomePage(RequestHandler):
    """The course's front door: the static home page of her language (``widgets.site``)."""

    def initialize(self, folder: Path, base_url: str = "/"):
        self.folder = folder
        self.base_url = base_url

    def get(self):
        available = tuple(p.stem for p in self.folder.glob("*.html"))
        asked = self.get_query_argument("lang", None)
        language = home_language(asked, self.get_cookie(LANGUAGE_COOKIE),
                                 self.request.headers.get("Accept-Language", ""), available)
        if asked == language:  # she chose: remember it, as the apps do
            self.set_cookie(LANGUAGE_COOKIE, language, path=self.base_url,
                            expires_days=365, samesite="Lax")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Vary", "Cookie, Accept-Language")
        self.set_header("Content-Language", language)
        self.finish((self.folder / f"{language}.html").read_bytes())


def add_home_page(web_app, site: Path, base_url: str = "/") -> None:
    """Serve the site's home page at ``base_url`` (before Voila's list of notebooks)."""
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    web_app.add_handlers(".*$", [(re.escape(base) + r"?(?:index\.html)?$", HomePage,
                                  {"folder": site / "home", "base_url": base})])
    rules = web_app.default_router.rules  # Voila added its handlers the same way: go first
    rules.insert(0, rules.pop(-2))


def _remembering_handler(base):
    """Voila's page handler, redirecting a return visit to the address with her choices."""

    class RememberingVoilaHandler(base):
        async def prepare(self):
            result = super().prepare()
            if result is not None:
                await result
            if self._finished or self.request.method != "GET":
                return
            if self._serve_prerendered():
                return
            cookies = {name: morsel.value for name, morsel in self.request.cookies.items()}
            query = remembered_query(self.request.query, cookies)
            if query is not None:
                self.redirect(f"{self.request.path}?{query}")
                return
            # The page hands its kernel back when she leaves (or at once when nothing on it is
            # live) with a POST to voila/api/shutdown, which needs the _xsrf cookie: set it.
            self.xsrf_token  # noqa: B018 (Tornado sets the cookie when the token is read)

        def _serve_prerendered(self) -> bool:
            """Answer with the lesson's pre-rendered page, if there is a fresh one (a lesson's
            language is in its address: no redirect to her remembered language is needed)."""
            from widgets.prerender import LIVE_QUERY

            store = self.settings.get(PAGES_SETTING)
            if store is None or LIVE_QUERY in self.request.query_arguments or not self.path_args:
                return False
            body = store.page(urllib.parse.unquote(self.path_args[0] or ""))
            if body is None:
                return False
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-cache")  # ask each time: 304 when unchanged
            self.finish(body)  # Tornado adds an ETag and answers 304 when she has this page
            return True

    RememberingVoilaHandler.__name__ = f"Remembering{base.__name__}"
    return RememberingVoilaHandler


def _swap_page_handlers(router) -> int:
    """Replace Voila's page handler in a Tornado router (and the routers inside it)."""
    from voila.tornado.handler import TornadoVoilaHandler

    swapped = 0
    for rule in getattr(router, "rules", []):
        target = rule.target
        if isinstance(target, type) and issubclass(target, TornadoVoilaHandler):
            if not target.__name__.startswith("Remembering"):
                rule.target = _remembering_handler(target)
            swapped += 1
        else:
            swapped += _swap_page_handlers(target)
    return swapped


def configure_web_app(web_app) -> None:
    """Make a Tornado application (Voila's, or Jupyter Server's with Voila) serve light pages."""
    if GZipContentEncoding not in web_app.transforms:
        web_app.add_transform(GZipContentEncoding)
    if CacheHashed not in web_app.transforms:
        web_app.add_transform(CacheHashed)
    web_app.settings.setdefault("websocket_compression_options", {})
    _swap_page_handlers(web_app.default_router)


def _merge_json(path: Path, settings: dict) -> None:
    """Write ``settings`` into a JSON config file, keeping what else it holds."""
    current = json.loads(path.read_text()) if path.exists() else {}
    for section, values in settings.items():
        current.setdefault(section, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2, ensure_ascii=False))


def check_built() -> None:
    """Stop with a clear message when the page script has not been built."""
    missing = [name for name in BUILT_FILES if not (TEMPLATE_DIR / "static" / name).is_file()]
    if missing:
        raise SystemExit(
            f"The Homeward page files {', '.join(missing)} are missing from {TEMPLATE_DIR / 'static'}."
            " Build them with `make install` (or `npm ci && npm run build`).")


def install(prefix: str | os.PathLike = sys.prefix) -> list[Path]:
    """Put the Homeward pages into an environment whose Jupyter Server runs Voila (Binder, hub).

    - the template, to ``<prefix>/share/jupyter/voila/templates/homeward``;
    - Voila's settings (:func:`voila_config`), to ``<prefix>/etc/jupyter/voila.json``, where
      Voila's server extension reads them;
    - this module enabled as a server extension, in
      ``<prefix>/etc/jupyter/jupyter_server_config.d/homeward.json``;
    - idle kernels culled, and kernels reached through Unix sockets (:mod:`widgets.kernels`),
      in ``<prefix>/etc/jupyter/jupyter_server_config.json``.

    Settings files that exist are added to, not replaced. Returns what it wrote.
    """
    check_built()
    target = Path(prefix, "share", "jupyter", "voila", "templates", TEMPLATE)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(TEMPLATE_DIR, target)
    etc = Path(prefix, "etc", "jupyter")
    config = voila_config(standalone=False)
    voila = etc / "voila.json"
    _merge_json(voila, {"VoilaConfiguration": config["VoilaConfiguration"]})
    extension = etc / "jupyter_server_config.d" / "homeward.json"
    _merge_json(extension, {"ServerApp": {"jpserver_extensions": {"widgets.serve": True}}})
    server = etc / "jupyter_server_config.json"
    _merge_json(server, {"MappingKernelManager": config["MappingKernelManager"]})
    return [target, voila, extension, server]


def _jupyter_server_extension_points():
    return [{"module": "widgets.serve"}]


#: Set in a server's environment (the workshop hub's servers): the folder whose lessons were
#: rendered in advance (``lessons/...``, :mod:`widgets.prerender`), served without a kernel.
PAGES_VARIABLE = "HOMEWARD_PAGES"


def _load_jupyter_server_extension(server_app) -> None:
    """Jupyter Server loads this (after Voila's extension): light pages there too; on the
    workshop hub, lessons rendered in advance (``$HOMEWARD_PAGES``) and the simulators'
    kernels pre-heated (:mod:`widgets.pool`, when the server uses its kernel manager)."""
    configure_web_app(server_app.web_app)
    server_app.log.info("Homeward: compressed, cached pages for the apps")
    pages = os.environ.get(PAGES_VARIABLE)
    if pages:
        from widgets.prerender import PageStore

        store = PageStore.as_built(Path(pages), server_app.base_url)
        server_app.web_app.settings[PAGES_SETTING] = store
        server_app.log.info("Homeward: %d lesson pages rendered in advance", len(store.keys))
    from widgets.pool import attach

    if attach(server_app):
        server_app.log.info("Homeward: a kernel kept ready for %s",
                            ", ".join(server_app.kernel_manager.pooled))


def _launch(port: int, ip: str, root: Path, stock: bool, preheat: bool, base_url: str = "/",
            limits=None, site: Path | None = None) -> None:
    """Start Voila on ``root`` with :func:`voila_config` (or, ``stock``, its lab template and
    none of Homeward's serving settings); ``site``: the course site, its home page at the
    server's address."""
    from traitlets.config import Config
    from voila.app import Voila

    class HomewardVoila(Voila):
        def listen(self):
            if not stock:
                configure_web_app(self.app)
            if site is not None:
                add_home_page(self.app, site, base_url)
                if not stock:
                    from widgets.prerender import PageStore

                    self.app.settings[PAGES_SETTING] = PageStore(site, base_url)
            super().listen()

    settings = voila_config()
    settings["VoilaConfiguration"]["preheat_kernel"] = preheat
    if site is not None:  # one pre-heated kernel per app, none per lesson page
        from widgets.site import LESSONS

        settings.setdefault("VoilaKernelManager", {})["preheat_denylist"] = [f"{LESSONS}/"]
    argv = ["--no-browser", f"--port={port}", f"--Voila.ip={ip}", f"--Voila.base_url={base_url}"]
    if stock:  # the command line wins over a voila.json in the folder served
        argv.append("--VoilaConfiguration.template=lab")
    app_class = HomewardVoila if not stock or site is not None else Voila
    if limits is not None:  # --max-kernels, --kernels-per-visitor (widgets.visitors)
        from widgets.visitors import limited_voila

        app_class = limited_voila(app_class, limits)
    app_class.launch_instance([*argv, str(root)], config=Config(settings))


def public_folder(apps: Path = APPS_DIR) -> Path:
    """A folder with only the public apps and Voila's settings (``--public``)."""
    folder = Path(tempfile.mkdtemp(prefix="homeward-public-"))
    atexit.register(shutil.rmtree, folder, True)
    for app in PUBLIC_APPS:
        shutil.copy(apps / f"{app}.ipynb", folder)
    shutil.copy(CONFIG_FILE, folder)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--root", "--apps", dest="root", type=Path, default=APPS_DIR,
                        help="the folder of notebooks to serve as pages (default: the apps; "
                        "the hub: its read-only copy of them)")
    parser.add_argument("--no-preheat", action="store_true",
                        help="start a kernel when a page is opened (pages opened once, tests)")
    parser.add_argument("--stock", action="store_true",
                        help="Voila's own lab template without Homeward's settings (to compare)")
    parser.add_argument("--install", action="store_true",
                        help="install the template and Jupyter Server settings, then exit")
    parser.add_argument("--base-url", default="/", help="the path the apps are served under "
                        "(the workshop hub: /services/simulators/)")
    parser.add_argument("--course", action="store_true",
                        help="serve the whole course: a home page, every lesson as a page in "
                        "each language, and the apps (builds build/site first)")
    parser.add_argument("--site", type=Path, default=None,
                        help="with --course: the folder to build the site in (default: build/site)")
    parser.add_argument("--no-build", action="store_true",
                        help="with --course: serve the site as it was last built")
    parser.add_argument("--no-prerender", action="store_true",
                        help="with --course: run every lesson page live (a kernel per visit) "
                        "instead of rendering it once at build time")
    parser.add_argument("--public", action="store_true",
                        help="serve only the simulators, never the facilitator dashboard")
    parser.add_argument("--max-kernels", type=int, default=0,
                        help="kernels on this server at most; the next visitor waits (0: no cap)")
    parser.add_argument("--kernels-per-visitor", type=int, default=0,
                        help="kernels one visitor (browser) holds at most (0: no cap)")
    args = parser.parse_args(argv)
    if args.install:
        for path in install():
            print(f"Homeward: wrote {path}", flush=True)
        return
    if not args.stock:
        check_built()
    root = args.root.resolve()
    base = f"http://localhost:{args.port}{args.base_url.rstrip('/')}"
    site = None
    if args.course:
        from widgets.site import SITE_DIR, build_site

        site = (args.site or SITE_DIR).resolve()
        if not args.no_build or not (site / "home").is_dir():
            print("Building the course pages (lessons in each language)...", flush=True)
            built = build_site(site, only_apps=PUBLIC_APPS if args.public else None)
            print(f"  {sum(len(p) for p in built.pages.values())} lesson pages in "
                  f"{len(built.pages)} languages, {len(built.apps)} apps", flush=True)
            if not args.no_prerender and not args.stock:
                from widgets.prerender import prerender_site
                from widgets.site import site_pages

                done = prerender_site(site, site_pages(site),
                                      log=lambda text: print(text, flush=True))
                print(f"  {len(done.pages)} lesson pages rendered for reading without a kernel "
                      f"({len(done.rendered)} run now, {len(done.failed)} left live; "
                      f"{done.seconds:.0f} s)", flush=True)
        root = site
        print(f"\nHomeward course, open in your browser: {base}/", flush=True)
        print("Homeward apps:", flush=True)
        for app, title in APPS.items():
            print(f"  {title}: {app_url(base, app)}", flush=True)
    elif args.public:
        root = public_folder(root)
    if site is None and (args.public or root == APPS_DIR):
        print("\nHomeward apps, open in your browser:", flush=True)
        for app, title in APPS.items():
            if not args.public or app in PUBLIC_APPS:
                print(f"  {title}: {app_url(base, app)}", flush=True)
    elif site is None:
        print(f"\nHomeward pages of {root}: {base}/", flush=True)
    print(flush=True)
    # Voila reads templates from JUPYTER_PATH; the kernels it starts inherit this environment.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH", "")) if p)
    os.environ["HOMEWARD_PAGE"] = "0" if args.stock else "1"
    os.chdir(root)
    limits = None
    if args.max_kernels or args.kernels_per_visitor:
        from widgets.visitors import VisitorLimits

        limits = VisitorLimits(args.max_kernels, args.kernels_per_visitor or 10**6)
    _launch(args.port, args.ip, root, args.stock, preheat=not args.no_preheat,
            base_url=args.base_url, limits=limits, site=site)


if __name__ == "__main__":
    main()
