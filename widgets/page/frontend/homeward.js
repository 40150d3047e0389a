// The Homeward page: a light front end for Voila pages built from ipywidgets.
//
// Voila's own front end is a JupyterLab application (5.9 MB of JavaScript with editors,
// MathJax and every output renderer). A Homeward page needs only what shows a widget and
// talks to its kernel: the widget manager below, @jupyter-widgets/controls, and the kernel
// connection of @jupyterlab/services. Built with esbuild (`npm run build`) into the
// Homeward Voila template's static folder.
//
// What the page does (see widgets/page/__init__.py for the Python side):
// 1. renders every widget the notebook displayed, in place of its placeholder;
// 2. removes the "first paint" (plain HTML the kernel wrote: the app's name and the example
//    plan's result) once the widgets are on screen, and says so to a screen reader;
// 3. keeps <html lang>, the tab title, the address (?lang=&currency=) and a cookie in step with
//    the app's language and currency (an element with class hw-page-state carries them);
// 4. gives ipywidgets' elements what they lack for WCAG 2.1 AA: aria-expanded on section
//    buttons (class hw-toggle, open when hw-open), aria-invalid and aria-describedby on a field
//    whose error shows (class hw-field holding an input and an .hw-error), aria-live on results
//    (class hw-live);
// 5. shuts the kernel down when the page is left (as Voila's front end does);
// 6. on a lesson page rendered at build time (widgets/prerender.py: no kernel, the widgets'
//    saved state in the page), draws the widgets from that state, answers the quizzes itself
//    (widgets.quiz.view.page_answers: every answer block, and how her language writes
//    numbers) and, when she comes near a live tool (a simulator, a slider), opens the lesson
//    live in the background (?live=1: Voila runs it in a kernel) and puts the live tool in
//    place of the drawn one.

import * as base from '@jupyter-widgets/base';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import * as controls from '@jupyter-widgets/controls';
import { OutputModel } from '@jupyter-widgets/output';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { Widget } from '@lumino/widgets';

import { numberAnswer } from './quiz.mjs';

import '@lumino/widgets/style/widget.css';
import '@lumino/widgets/style/tabbar.css';
import '@lumino/widgets/style/tabpanel.css';
import '@jupyter-widgets/base/css/index.css';
import '@jupyter-widgets/controls/css/labvariables.css';
import '@jupyter-widgets/controls/css/widgets-base.css';
import './page.css';
import '../../appkit.css';

const COOKIE_DAYS = 365;
const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';

// --- widgets the page shows differently ------------------------------------------------

/** The file button without the "(0)" counter ipywidgets adds to its label. */
class FileUploadView extends controls.FileUploadView {
  update() {
    super.update();
    const text = [...this.el.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
    if (text) {
      text.textContent = this.model.get('description');
    }
  }
}

/** An Output widget shows the text and HTML it was given (apps use them for logs only). */
class OutputView extends base.DOMWidgetView {
  render() {
    this.listenTo(this.model, 'change:outputs', this.update);
    this.update();
  }

  update() {
    this.el.textContent = '';
    for (const output of this.model.get('outputs') || []) {
      const pre = document.createElement('pre');
      pre.textContent = output.text || (output.data && output.data['text/plain']) || '';
      this.el.appendChild(pre);
    }
  }
}

const MODULES = {
  '@jupyter-widgets/base': base,
  '@jupyter-widgets/controls': { ...controls, FileUploadView },
  '@jupyter-widgets/output': { OutputModel, OutputView },
};

// --- the widget manager ----------------------------------------------------------------

class PageManager extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.registerCommTarget(this.comm_target_name, (comm, msg) =>
      this.handle_comm_open(new base.shims.services.Comm(comm), msg),
    );
  }

  async loadClass(className, moduleName, moduleVersion) {
    const module = MODULES[moduleName];
    if (!module || !module[className]) {
      throw new Error(`This page cannot show ${moduleName} ${className} ${moduleVersion}`);
    }
    return module[className];
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new base.shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}

// --- the page's language, currency and title --------------------------------------------

function setCookie(name, value, basePath) {
  const age = COOKIE_DAYS * 24 * 3600;
  document.cookie = `${name}=${encodeURIComponent(value)}; path=${basePath}; max-age=${age}; SameSite=Lax`;
}

let lastState = '';
let firstState = '';
// A language named in the address (a link someone sent her, her bookmark) is her choice too.
const namedInAddress = /[?&](lang|currency)=/.test(window.location.search);

/** Follow the app's hw-page-state element: lang, title, address, and (once she has chosen a
 *  language or currency herself) the cookies that bring her back to them. */
function followState(config) {
  const state = document.querySelector('.hw-page-state [data-lang]');
  if (!state) {
    return;
  }
  const { lang, currency, title } = state.dataset;
  const key = `${lang}|${currency}|${title}`;
  if (key === lastState) {
    return;
  }
  lastState = key;
  firstState = firstState || key;
  const chosen = namedInAddress || key !== firstState;
  if (lang) {
    document.documentElement.lang = lang;
    if (chosen) setCookie('homeward_lang', lang, config.baseUrl);
  }
  if (currency && chosen) {
    setCookie('homeward_currency', currency, config.baseUrl);
  }
  if (title) {
    document.title = title;
  }
  const url = new URL(window.location.href);
  if (lang) url.searchParams.set('lang', lang);
  if (currency) url.searchParams.set('currency', currency);
  if (url.href !== window.location.href) {
    window.history.replaceState(window.history.state, '', url.href);
  }
}

// --- accessibility: what ipywidgets' elements lack ---------------------------------------

let counter = 0;

function ensureId(el, prefix) {
  if (!el.id) {
    counter += 1;
    el.id = `${prefix}-${counter}`;
  }
  return el.id;
}

function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

function enhance() {
  // A lesson's tables (markdown and pandas): each in its own box that scrolls sideways on a
  // phone (made reachable by keyboard below), never the whole page.
  for (const table of document.querySelectorAll('.hw-lesson table')) {
    if (table.classList.contains('hw-sr-only')
        || table.closest('.hw-table-wrap, .hw-scroll, .hw-results, .hw-sr-only')) {
      continue;
    }
    const wrap = document.createElement('div');
    wrap.className = 'hw-table-wrap hw-lesson-table';
    table.replaceWith(wrap);
    wrap.appendChild(table);
  }
  for (const toggle of document.querySelectorAll('.hw-toggle')) {
    const button = toggle.tagName === 'BUTTON' ? toggle : toggle.querySelector('button');
    if (button) {
      setAttr(button, 'aria-expanded', toggle.classList.contains('hw-open') ? 'true' : 'false');
    }
  }
  for (const field of document.querySelectorAll('.hw-field')) {
    const input = field.querySelector('input:not([type=file]), select, textarea');
    if (!input) continue;
    const described = [];
    for (const hint of field.querySelectorAll('.hw-hint')) {
      if (hint.textContent.trim()) described.push(ensureId(hint, 'hw-hint'));
    }
    const error = field.querySelector('.hw-error');
    const wrong = Boolean(error && error.textContent.trim());
    if (wrong) described.push(ensureId(error, 'hw-error'));
    if (described.length) {
      setAttr(input, 'aria-describedby', described.join(' '));
    } else if (input.hasAttribute('aria-describedby')) {
      input.removeAttribute('aria-describedby');
    }
    setAttr(input, 'aria-invalid', wrong ? 'true' : 'false');
  }
  for (const live of document.querySelectorAll('.hw-live')) {
    setAttr(live, 'aria-live', 'polite');
  }
  for (const alert of document.querySelectorAll('.hw-alert')) {
    setAttr(alert, 'role', 'alert');
  }
  for (const step of document.querySelectorAll('button.jupyter-button')) {
    if (step.classList.contains('hw-current')) {
      setAttr(step, 'aria-current', 'step');
    } else if (step.hasAttribute('aria-current')) {
      step.removeAttribute('aria-current');
    }
  }
  // A box that scrolls on its own (a wide table on a phone, the results beside the form)
  // must be reachable by keyboard to be scrolled by it.
  // A wide table says so, on the phone where it does not fit (and only there).
  const words = (window.homeward && window.homeward.words) || {};
  for (const region of document.querySelectorAll('.hw-table-wrap, .hw-scroll, .hw-results')) {
    const sideways = region.scrollWidth > region.clientWidth + 1;
    const scrolls = sideways || region.scrollHeight > region.clientHeight + 1;
    if (scrolls) {
      setAttr(region, 'tabindex', '0');
    } else if (region.getAttribute('tabindex') === '0') {
      region.removeAttribute('tabindex');
    }
    if (sideways && words.scroll && !region.classList.contains('hw-results')) {
      region.classList.add('hw-overflowing');
      setAttr(region, 'data-hint', words.scroll);
    } else if (region.classList.contains('hw-overflowing') && !sideways) {
      region.classList.remove('hw-overflowing');
    }
  }
  // A control whose description ipywidgets does not tie to it (a number box, a combo box):
  // name it by that description.
  for (const box of document.querySelectorAll('.widget-inline-hbox')) {
    const label = box.querySelector(':scope > label.widget-label');
    const control = box.querySelector(':scope > input, :scope > select, :scope > textarea');
    if (label && control && label.textContent.trim() && !control.labels.length) {
      setAttr(control, 'aria-labelledby', ensureId(label, 'hw-label'));
    }
  }
}

let pending = false;

function watch(config) {
  const run = () => {
    pending = false;
    enhance();
    followState(config);
  };
  const observer = new MutationObserver(() => {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(run);
    }
  });
  window.addEventListener('resize', () => {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(run);
    }
  });
  observer.observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['class', 'data-lang', 'data-currency', 'data-title'],
  });
  run();
}

// --- showing the widgets ------------------------------------------------------------------

function say(text) {
  const status = document.getElementById('hw-status');
  if (status && text) {
    status.textContent = text;
  }
}

function firstPaintText(key) {
  const paint = document.querySelector('.hw-first-paint');
  return paint ? paint.dataset[key] : '';
}

async function render(manager, placeholder) {
  const { model_id: modelId } = JSON.parse(placeholder.textContent);
  const model = await manager.get_model(modelId);
  const view = await manager.create_view(model);
  const host = document.createElement('div');
  host.className = 'hw-widget';
  placeholder.replaceWith(host);
  Widget.attach(view.luminoWidget, host);
  return { model, host };
}

/** Tell Voila the page's kernel is no longer needed. */
function shutdownKernel(config) {
  const data = new FormData();
  const match = document.cookie.match('\\b_xsrf=([^;]*)\\b');
  data.append('_xsrf', (match && match[1]) || '');
  navigator.sendBeacon(`${config.baseUrl}voila/api/shutdown/${config.kernelId}`, data);
}

// --- a lesson page rendered at build time: no kernel ---------------------------------------

/** A widget manager for saved widget state: models without a kernel behind them. */
class StaticManager extends ManagerBase {
  async loadClass(className, moduleName, moduleVersion) {
    return PageManager.prototype.loadClass.call(this, className, moduleName, moduleVersion);
  }

  async _create_comm() {
    return QUIET_COMM;
  }

  async _get_comm_info() {
    return {};
  }
}

/** What a drawn widget's changes are sent to: nothing (the page answers them itself). */
const QUIET_COMM = {
  comm_id: '', target_name: '', send: () => '', open: () => '', close: () => '',
  on_msg: () => {}, on_close: () => {},
};

/** Models that only show something (text, boxes, styles): a tool without these needs a kernel. */
const SHOW_ONLY = /^(HTML|HTMLMath|Label|Box|VBox|HBox|GridBox|Output|Layout|\w*Style)Model$/;

async function modelsUnder(model, seen = new Set()) {
  if (!model || seen.has(model.model_id)) return seen;
  seen.add(model.model_id);
  for (const child of model.get('children') || []) {
    await modelsUnder(await child, seen);
  }
  return seen;
}

function quizData(model) {
  const holder = document.createElement('template');
  holder.innerHTML = model.get('value');
  const element = holder.content.querySelector('[data-hw-quiz]');
  return element ? JSON.parse(element.dataset.hwQuiz) : null;
}

/** Make a drawn quiz answer at once, as the kernel's quiz would (widgets/quiz/view.py). */
async function wireQuiz(box, host) {
  const children = await Promise.all(box.get('children') || []);
  const at = children.findIndex((child) => (child.get('_dom_classes') || []).includes('hw-quiz-data'));
  const data = at > 0 ? quizData(children[at]) : null;
  if (!data) return false;
  const feedback = children[at - 1];
  if (data.kind === 'choice') {
    const choices = children.find((child) => child.get('_model_name') === 'RadioButtonsModel');
    choices.on('change:index', () => {
      const index = choices.get('index');
      if (index !== null && index !== undefined) feedback.set('value', data.feedback[index]);
    });
    return true;
  }
  const error = children[at - 2];
  const input = () => host.querySelector('input[type="text"]');
  const check = (typed) => {
    error.set('value', '');
    const answer = numberAnswer(data, typed);
    if (answer.error) {
      error.set('value', answer.error);
    } else {
      feedback.set('value', answer.feedback);
    }
  };
  host.addEventListener('click', (event) => {
    if (event.target.closest('button') && input()) check(input().value);
  });
  host.addEventListener('keydown', (event) => {  // before the text box's own handler
    if (event.key === 'Enter' && event.target === input()) check(input().value);
  }, true);
  return true;
}

/** Open the lesson live in the background and put its live tools in place of the drawn
 *  ones (the same notebook: its widgets come in the same order). */
async function goLive(config, tools, count) {
  const address = new URL(window.location.href);
  address.searchParams.set('live', '1');
  const response = await fetch(address.href, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`The live lesson answered ${response.status}`);
  const live = new DOMParser().parseFromString(await response.text(), 'text/html');
  const liveConfig = JSON.parse(live.getElementById('jupyter-config-data').textContent);
  const placeholders = [...live.querySelectorAll(`script[type="${WIDGET_VIEW}"]`)];
  if (!liveConfig.kernelId || placeholders.length !== count) {
    throw new Error('The live lesson does not match this page');
  }
  const kernelConfig = { ...config, kernelId: liveConfig.kernelId };
  const kernel = new KernelConnection({
    model: { id: liveConfig.kernelId, name: 'python3' },
    serverSettings: ServerConnection.makeSettings({ baseUrl: config.baseUrl }),
  });
  window.addEventListener('pagehide', () => {
    shutdownKernel(kernelConfig);
    kernel.dispose();
  });
  const manager = new PageManager(kernel);
  await manager._loadFromKernel();
  for (const tool of tools) {
    const { model_id: modelId } = JSON.parse(placeholders[tool.index].textContent);
    const view = await manager.create_view(await manager.get_model(modelId));
    const host = document.createElement('div');
    host.className = 'hw-widget';
    tool.host.replaceWith(host);
    Widget.attach(view.luminoWidget, host);
    if (tool.note) tool.note.remove();
  }
}

async function staticPage(config, state, placeholders) {
  const manager = new StaticManager();
  await manager.set_state(state);
  for (const id of Object.keys(state.state || {})) {
    const model = await manager.get_model(id);
    model.comm = QUIET_COMM;
    model.comm_live = true;
  }
  const tools = [];
  await Promise.all(placeholders.map(async (placeholder, index) => {
    const { model, host } = await render(manager, placeholder);
    if ((model.get('_dom_classes') || []).includes('hw-quiz') && await wireQuiz(model, host)) {
      return;
    }
    const models = await modelsUnder(model);
    const kinds = await Promise.all([...models].map(async (id) => (await manager.get_model(id)).get('_model_name')));
    if (kinds.every((kind) => SHOW_ONLY.test(kind))) return;
    // A live tool: drawn as it will look, usable once its kernel is there.
    host.inert = true;
    host.setAttribute('aria-busy', 'true');
    const note = document.createElement('p');
    note.className = 'hw-tool-note';
    note.setAttribute('role', 'status');
    note.textContent = (window.homeward && window.homeward.words.loading) || '';
    host.before(note);
    tools.push({ index, host, note });
  }));
  document.body.classList.add('hw-ready');
  enhance();
  if (!tools.length) return;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    goLive(config, tools, placeholders.length).catch((error) => {
      console.error(error);
      for (const tool of tools) {
        tool.note.textContent = (window.homeward && window.homeward.words.failed) || '';
      }
    });
  };
  // Her phone asks for a kernel only when she comes near a tool (a screen ahead).
  const near = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      near.disconnect();
      start();
    }
  }, { rootMargin: '100% 0px' });
  for (const tool of tools) near.observe(tool.host);
}

async function main() {
  const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
  watch(config);
  const placeholders = [...document.querySelectorAll(`script[type="${WIDGET_VIEW}"]`)];
  const saved = document.getElementById('hw-widget-state');
  if (saved && !config.kernelId) {
    try {
      await staticPage(config, JSON.parse(saved.textContent), placeholders);
    } catch (error) {
      console.error(error);
      say(firstPaintText('failed'));
    }
    return;
  }
  if (!placeholders.length || !config.kernelId) {
    // Nothing live on this page (a lesson of text and tables): its kernel has done its work.
    if (config.kernelId) shutdownKernel(config);
    document.body.classList.add('hw-ready');
    enhance();
    return;
  }
  const serverSettings = ServerConnection.makeSettings({ baseUrl: config.baseUrl });
  const kernel = new KernelConnection({
    model: { id: config.kernelId, name: 'python3' },
    serverSettings,
  });
  window.addEventListener('pagehide', () => {
    shutdownKernel(config);
    kernel.dispose();
  });
  kernel.connectionStatusChanged.connect((_kernel, status) => {
    document.body.dataset.connection = status;
    if (status === 'disconnected') say(firstPaintText('offline'));
  });
  try {
    const manager = new PageManager(kernel);
    await manager._loadFromKernel();
    await Promise.all(placeholders.map((placeholder) => render(manager, placeholder)));
  } catch (error) {
    console.error(error);
    say(firstPaintText('failed'));
    return;
  }
  // The widgets are on screen: the plain first paint gives way to them.
  for (const paint of document.querySelectorAll('.hw-first-paint')) {
    paint.remove();
  }
  document.body.classList.add('hw-ready');
  enhance();
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', main);
} else {
  main();
}
