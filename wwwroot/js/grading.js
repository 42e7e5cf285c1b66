// Keyboard shortcuts of the grading pages (the grading page and the side-by-side page). Digits choose a value in the
// focused criterion (by its number on a numbered scale, else the nth option); y/n answer a yes/no or checklist
// criterion; in a question of the side-by-side page (an axis row, data-axis) the focused one or the one clicked last, a
// letter chooses the radio button whose data-key it is (a left, b right, t tie, x both unacceptable); j/k move to the
// next/previous item; Ctrl+Enter submits.
// Also starts the journal of changes the server has not handled yet (below).
export function attach(page) {
  const axes = trackAxis();
  const onKey = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      // Mid-composition the keys belong to the input method; the text is not whole yet.
      if (event.isComposing) return;
      event.preventDefault();
      // Names the item on screen, so that a press arriving after the next item opened does not submit that one.
      const form = document.querySelector("form[data-journal]");
      if (!form) return;
      noteSubmit(form);
      page.invokeMethodAsync("SubmitFromKeyboard", form.dataset.pair ?? form.dataset.response).catch(() => {});
      return;
    }
    const target = event.target;
    const typing = target instanceof HTMLTextAreaElement ||
      (target instanceof HTMLInputElement && target.type !== "radio" && target.type !== "checkbox");
    if (typing || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      page.invokeMethodAsync(event.key === "j" ? "NextItem" : "PreviousItem");
      return;
    }
    const axis = axes.of(target);
    if (axis) {
      const choice = [...axis.querySelectorAll("input[type=radio][data-key]")].find((r) => r.dataset.key === event.key);
      if (choice) {
        event.preventDefault();
        choice.focus();
        choice.click();
      }
      return;
    }
    // y / n: yes or no in a yes/no criterion, met or not met in a checklist's.
    if (event.key === "y" || event.key === "n") {
      const group = target instanceof Element ? target.closest("[role=radiogroup]") : null;
      const choice = group?.querySelector(`input[type=radio][value="${event.key === "y"}"]`);
      if (choice) {
        event.preventDefault();
        choice.focus();
        choice.click();
      }
      return;
    }
    if (/^[0-9]$/.test(event.key)) {
      const group = target instanceof Element ? target.closest("[role=radiogroup]") : null;
      if (!group) return;
      const radios = [...group.querySelectorAll("input[type=radio]")];
      const choice = radios.find((r) => r.value === event.key) ??
        (event.key === "0" ? null : radios[Number(event.key) - 1]);
      if (choice) {
        event.preventDefault();
        choice.focus();
        choice.click();
      }
    }
  };
  document.addEventListener("keydown", onKey);
  const stopComposition = holdBackComposition();
  const stopJournal = startJournal();
  return {
    dispose: () => {
      document.removeEventListener("keydown", onKey);
      axes.stop();
      stopComposition();
      stopJournal();
    },
  };
}

// The question (axis row) the letter keys answer: the one focus is in or, after a click on its text (which focuses the
// pane around it, or nothing), the one clicked, marked data-current so that the rater sees where the keys go.
function trackAxis() {
  let current = null;
  const mark = (row) => {
    if (current === row) return;
    current?.removeAttribute("data-current");
    current = row;
    current?.setAttribute("data-current", "");
  };
  const rowOf = (target) => (target instanceof Element ? target.closest("[data-axis]") : null);
  const onPointer = (event) => mark(rowOf(event.target));
  const onFocus = (event) => {
    const row = rowOf(event.target);
    if (row) mark(row);
    else if (!(current && event.target instanceof Node && event.target.contains(current))) mark(null);
  };
  document.addEventListener("pointerdown", onPointer, true);
  document.addEventListener("focusin", onFocus);
  return {
    of: (target) => rowOf(target) ?? (current?.isConnected && target instanceof Node && target.contains(current) ? current : null),
    stop: () => {
      mark(null);
      document.removeEventListener("pointerdown", onPointer, true);
      document.removeEventListener("focusin", onFocus);
    },
  };
}

// ---- Text typed with an input method -------------------------------------------------------------------------
// While a Chinese (or any) input method composes, the field holds provisional text: the server (Blazor's input handler,
// which listens on the document) and the journal must not see it. Input events in mid-composition are stopped at the
// window, before either; when the composition ends, one input event carries the whole, final value.
const isRubricText = (target) => target instanceof HTMLTextAreaElement && target.dataset.criterion !== undefined;

function holdBackComposition() {
  const onInput = (event) => {
    if (event.isComposing && isRubricText(event.target)) event.stopImmediatePropagation();
  };
  const onEnd = (event) => {
    if (isRubricText(event.target)) event.target.dispatchEvent(new Event("input", { bubbles: true }));
  };
  window.addEventListener("input", onInput, true);
  window.addEventListener("compositionend", onEnd, true);
  return () => {
    window.removeEventListener("input", onInput, true);
    window.removeEventListener("compositionend", onEnd, true);
  };
}

/** Text the server changed after the item loaded (another tab's write, a recovered change): put in each text field
 * the rater is not in; a field with focus keeps what the rater typed, returned so that it is saved as the later write. */
export function showText(values) {
  const form = document.querySelector("form[data-journal]");
  const kept = {};
  if (!form) return kept;
  for (const [criterion, value] of Object.entries(values)) {
    const field = [...form.querySelectorAll("textarea[data-criterion]")].find((f) => f.dataset.criterion === criterion);
    if (!field) continue;
    if (field === document.activeElement) kept[criterion] = field.value;
    else if (field.value !== (value ?? "")) field.value = value ?? "";
  }
  return kept;
}

/** Empties a field that still holds `used` and has no focus; returns what the field holds then. */
export function clearField(id, used) {
  const field = document.getElementById(id);
  if (!field) return "";
  if (field.value === used && field !== document.activeElement) field.value = "";
  return field.value;
}

// ---- Changes the server has not handled yet -----------------------------------------------------------------
// A connection can drop without Blazor noticing: Chromium offline, a sleeping laptop or a dead Wi-Fi keep the
// WebSocket open while nothing passes, for up to Blazor's 30 s server timeout, and what the rater changes meanwhile
// never reaches the server. A circuit can also be lost outright (a server restart), and the page reloads. So every
// change to the form is written to this tab's sessionStorage, under the form's data-journal key, until the server
// says it has handled it (forget, settle). The page saves what is left once it is live again (unsent), and a notice
// says when a change or a Submit has waited too long. sessionStorage belongs to the tab: another tab's journal is its own.
// An entry is named by its control's data-criterion: a criterion of the rubric or, on the side-by-side page, an axis
// (axis:…), a reason's box (reason:…, valued true or false as it is ticked) or the comment.
const unsentAfterMs = 5000;
let pendingSubmit = null;

function readJournal(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? "{}");
  } catch {
    return {};
  }
}

function writeJournal(key, entries) {
  if (Object.keys(entries).length) sessionStorage.setItem(key, JSON.stringify(entries));
  else sessionStorage.removeItem(key);
}

function noteChange(event) {
  const control = event.target;
  const form = control instanceof Element ? control.closest("form[data-journal]") : null;
  const criterion = control.dataset?.criterion;
  if (!form || !criterion) return;
  // Free text is saved as it is typed; a number or a choice when it is committed.
  if ((event.type === "input") !== (control instanceof HTMLTextAreaElement)) return;
  if (control.type === "radio" && !control.checked) return;
  const entries = readJournal(form.dataset.journal);
  entries[criterion] = { value: control.type === "checkbox" ? String(control.checked) : control.value, at: Date.now() };
  writeJournal(form.dataset.journal, entries);
}

function noteSubmit(form) {
  pendingSubmit = { key: form.dataset.journal, at: Date.now() };
}

function startJournal() {
  const onSubmit = (event) => {
    if (event.target instanceof HTMLFormElement && event.target.dataset.journal) noteSubmit(event.target);
  };
  document.addEventListener("input", noteChange, true);
  document.addEventListener("change", noteChange, true);
  document.addEventListener("submit", onSubmit, true);
  const timer = setInterval(showUnsent, 1000);
  return () => {
    document.removeEventListener("input", noteChange, true);
    document.removeEventListener("change", noteChange, true);
    document.removeEventListener("submit", onSubmit, true);
    clearInterval(timer);
  };
}

// The notice is an element the page renders empty and hidden and never changes, so Blazor's diffing and this
// code do not write over each other. Its texts come with it, in the page's language (data-unsent-*).
function showUnsent() {
  const form = document.querySelector("form[data-journal]");
  const notice = document.getElementById("unsent-state");
  if (!form || !notice) return;
  const now = Date.now();
  const changes = Object.values(readJournal(form.dataset.journal)).some((e) => now - e.at > unsentAfterMs);
  const submit = pendingSubmit?.key === form.dataset.journal && now - pendingSubmit.at > unsentAfterMs;
  const text = (submit ? notice.dataset.unsentSubmit : changes ? notice.dataset.unsentChanges : "") ?? "";
  if (notice.textContent !== text) notice.textContent = text;
  notice.hidden = !text;
}

/** The changes of one item not yet handled by the server, criterion → value as typed or chosen. */
export function unsent(key) {
  return Object.fromEntries(Object.entries(readJournal(key)).map(([criterion, entry]) => [criterion, entry.value]));
}

/** The server handled these values (saved them or said why not): changed since, an entry stays. */
export function forget(key, values) {
  const entries = readJournal(key);
  for (const [criterion, value] of Object.entries(values))
    if (entries[criterion]?.value === (value ?? "")) delete entries[criterion];
  writeJournal(key, entries);
  showUnsent();
}

/** The server has dealt with these entries whatever their value. */
export function settle(key, criteria) {
  const entries = readJournal(key);
  for (const criterion of criteria) delete entries[criterion];
  writeJournal(key, entries);
  showUnsent();
}

/** The server handled a Submit of this item (or found it submitted). */
export function submitHandled(key) {
  if (pendingSubmit?.key === key) pendingSubmit = null;
  showUnsent();
}

// ---- Span highlights ----------------------------------------------------------------------------------------
// The last non-empty selection inside a response, kept because pressing a label button may collapse it; with the
// response it is in (the side-by-side page has two, each with its own label buttons).
let lastSelection = null;

/** The current selection if it is a passage of the element `containerId`, with which occurrence of its text it is. */
function selectionIn(containerId) {
  const container = document.getElementById(containerId);
  const selection = document.getSelection();
  if (!container || !selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.commonAncestorContainer)) return null;
  const text = selection.toString();
  if (!text.trim()) return null;
  const before = document.createRange();
  before.setStart(container, 0);
  before.setEnd(range.startContainer, range.startOffset);
  return { containerId, text, occurrence: countOccurrences(normalize(before.toString()), normalize(text)) };
}

export function watchSelection(containerId) {
  const onChange = () => {
    lastSelection = selectionIn(containerId) ?? lastSelection;
  };
  document.addEventListener("selectionchange", onChange);
  const stopKeys = selectWithKeys(containerId);
  return {
    dispose: () => {
      document.removeEventListener("selectionchange", onChange);
      stopKeys();
    },
  };
}

// A passage can be selected without a mouse: the response takes focus (Tab), the arrows move a caret through it
// (Ctrl: by word; Up/Down: by line) and Shift with an arrow selects; the label buttons come next (Tab). The caret is
// not painted by the browser in text that cannot be edited, so the word at the caret is highlighted instead.
const moves = { ArrowRight: ["forward", "character"], ArrowLeft: ["backward", "character"], ArrowDown: ["forward", "line"], ArrowUp: ["backward", "line"] };

function makeFocusable(container) {
  if (container.tabIndex === 0) return;
  container.tabIndex = 0;
  container.setAttribute("role", "region");
  // The name comes from the page, in its language.
  if (container.dataset.regionLabel) container.setAttribute("aria-label", container.dataset.regionLabel);
}

function selectWithKeys(containerId) {
  const inResponse = (event) => event.target instanceof Element && event.target.id === containerId;
  const onFocus = (event) => {
    if (!inResponse(event)) return;
    const selection = document.getSelection();
    if (selection.rangeCount && event.target.contains(selection.getRangeAt(0).startContainer)) return;
    const walker = document.createTreeWalker(event.target, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    while (node && !node.data.trim()) node = walker.nextNode();
    if (node) selection.collapse(node, node.data.search(/\S/));
    showCaret(event.target);
  };
  const onKey = (event) => {
    if (!inResponse(event) || !(event.key in moves) || event.altKey || event.metaKey) return;
    const [direction, unit] = moves[event.key];
    event.preventDefault();
    const selection = document.getSelection();
    selection.modify(event.shiftKey ? "extend" : "move", direction, event.ctrlKey && unit === "character" ? "word" : unit);
    selection.focusNode?.parentElement?.scrollIntoView({ block: "nearest" });
    showCaret(event.target);
  };
  const onBlur = (event) => {
    if (inResponse(event)) CSS.highlights?.delete("gb-caret");
  };
  const container = document.getElementById(containerId);
  if (container) makeFocusable(container);
  document.addEventListener("focusin", onFocus);
  document.addEventListener("focusout", onBlur);
  document.addEventListener("keydown", onKey);
  return () => {
    document.removeEventListener("focusin", onFocus);
    document.removeEventListener("focusout", onBlur);
    document.removeEventListener("keydown", onKey);
  };
}

/** Marks the word at a collapsed caret (a selection shows itself). */
function showCaret(container) {
  if (!globalThis.CSS?.highlights) return;
  CSS.highlights.delete("gb-caret");
  const selection = document.getSelection();
  if (!selection.isCollapsed || !selection.rangeCount || !container.contains(selection.focusNode)) return;
  const node = selection.focusNode, offset = selection.focusOffset;
  if (node.nodeType !== Node.TEXT_NODE) return;
  const start = node.data.slice(0, offset).search(/\S*$/);
  const end = offset + node.data.slice(offset).search(/\s|$/);
  if (end <= start) return;
  const word = document.createRange();
  word.setStart(node, start);
  word.setEnd(node, end);
  CSS.highlights.set("gb-caret", new Highlight(word));
}

/** The passage selected last, if it is in the response `containerId` (else it stays for its own buttons); or the one
 * selected now, made before the page was watching (a label chosen just after the page opened, far from the server). */
export function takeSelection(containerId) {
  const taken = lastSelection?.containerId === containerId ? lastSelection : selectionIn(containerId);
  if (!taken) return null;
  const { text, occurrence } = taken;
  lastSelection = null;
  document.getSelection()?.removeAllRanges();
  return { text, occurrence };
}

const normalize = (s) => s.replace(/\s+/g, " ").trim();

function countOccurrences(haystack, needle) {
  let count = 0;
  for (let i = haystack.indexOf(needle); needle && i !== -1; i = haystack.indexOf(needle, i + 1)) count++;
  return count;
}

// Paints each span (its quoted Markdown source, markup removed) over the rendered response with the CSS Custom
// Highlight API, one highlight per response and label, so the sanitized HTML itself is never changed (and one
// response's painting leaves the other answer of a pair alone).
export function paint(containerId, spans, labels) {
  const container = document.getElementById(containerId);
  if (container) makeFocusable(container);
  if (!container || !globalThis.CSS?.highlights) return;
  const name = (slug) => `gb-${containerId}-${slug}`;
  for (const label of labels) CSS.highlights.delete(name(label.slug));
  const styleId = `gb-highlight-style-${containerId}`;
  let style = document.getElementById(styleId);
  if (!style) {
    style = document.createElement("style");
    style.id = styleId;
    document.head.append(style);
  }
  style.textContent = "::highlight(gb-caret) { text-decoration: underline 2px; background-color: #1a73e833; }\n" + labels.map((l) => `::highlight(${name(l.slug)}) { background-color: ${l.color ?? "#ffe08a"}55; text-decoration: underline ${l.color ?? "#b08800"}; }`).join("\n");

  const nodes = [];
  let all = "";
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push({ node, start: all.length });
    all += node.data;
  }
  const locate = (offset) => {
    let i = nodes.length - 1;
    while (i > 0 && nodes[i].start > offset) i--;
    return [nodes[i].node, offset - nodes[i].start];
  };
  const byLabel = new Map();
  for (const span of spans) {
    const words = span.quote.replace(/[*_`~\[\]]/g, "").trim().split(/\s+/).filter(Boolean);
    if (!words.length || !nodes.length) continue;
    const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+"), "g");
    const matches = [...all.matchAll(pattern)];
    const match = matches[Math.min(span.occurrence ?? 0, matches.length - 1)];
    if (!match) continue;
    const range = document.createRange();
    range.setStart(...locate(match.index));
    range.setEnd(...locate(match.index + match[0].length));
    if (!byLabel.has(span.label)) byLabel.set(span.label, []);
    byLabel.get(span.label).push(range);
  }
  for (const [label, ranges] of byLabel) CSS.highlights.set(name(label), new Highlight(...ranges));
}

// ---- Reading position and focus -----------------------------------------------------------------------------
// Blazor keeps the panes' elements from one item to the next, and with them their scroll positions: a new item would
// open scrolled to where the last one was left, and a rater could grade an answer whose start they never saw.

/** A new item: every pane back to its top, and focus on its heading (named by screen readers, as a new page's). */
export function openAtTop(headingId) {
  for (const pane of document.querySelectorAll(".grade-pane")) pane.scrollTop = 0;
  document.getElementById(headingId)?.focus({ preventScroll: true });
}

/** After a refused Submit: the control of the first criterion it named (the checked value of a group, else its first). */
export function focusFirstProblem() {
  const criterion = document.querySelector(".criterion-problem");
  const control = criterion?.querySelector("input:checked") ?? criterion?.querySelector("input, textarea");
  control?.focus();
}

export function focusElement(id) {
  document.getElementById(id)?.focus();
}

/** Escape closes the open guidelines; focus that was in them returns to their button. */
export function closeOnEscape(page, drawerId, toggleId) {
  const onKey = (event) => {
    const drawer = document.getElementById(drawerId);
    if (event.key !== "Escape" || event.isComposing || !drawer || drawer.hidden) return;
    if (drawer.contains(document.activeElement)) document.getElementById(toggleId)?.focus();
    page.invokeMethodAsync("CloseGuidelines").catch(() => {});
  };
  document.addEventListener("keydown", onKey);
  return { dispose: () => document.removeEventListener("keydown", onKey) };
}
