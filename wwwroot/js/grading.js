// Keyboard shortcuts of the grading page. Digits choose a value in the focused criterion (by its number on a
// numbered scale, else the nth option); j/k move to the next/previous item; Ctrl+Enter submits.
export function attach(page) {
  const onKey = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      // Names the item on screen, so that a press arriving after the next item opened does not submit that one.
      const form = document.querySelector("form[data-response]");
      if (form) page.invokeMethodAsync("SubmitFromKeyboard", Number(form.dataset.response));
      return;
    }
    const target = event.target;
    const typing = target instanceof HTMLTextAreaElement ||
      (target instanceof HTMLInputElement && target.type !== "radio" && target.type !== "checkbox");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      page.invokeMethodAsync(event.key === "j" ? "NextItem" : "PreviousItem");
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
  return { dispose: () => document.removeEventListener("keydown", onKey) };
}

// ---- Span highlights ----------------------------------------------------------------------------------------
// The last non-empty selection inside the response, kept because pressing a label button may collapse it.
let lastSelection = null;

export function watchSelection(containerId) {
  const onChange = () => {
    const container = document.getElementById(containerId);
    if (!container) return;
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return;
    const text = selection.toString();
    if (!text.trim()) return;
    const before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(range.startContainer, range.startOffset);
    lastSelection = { text, occurrence: countOccurrences(normalize(before.toString()), normalize(text)) };
  };
  document.addEventListener("selectionchange", onChange);
  return { dispose: () => document.removeEventListener("selectionchange", onChange) };
}

export function takeSelection() {
  const taken = lastSelection;
  lastSelection = null;
  document.getSelection()?.removeAllRanges();
  return taken;
}

const normalize = (s) => s.replace(/\s+/g, " ").trim();

function countOccurrences(haystack, needle) {
  let count = 0;
  for (let i = haystack.indexOf(needle); needle && i !== -1; i = haystack.indexOf(needle, i + 1)) count++;
  return count;
}

// Paints each span (its quoted Markdown source, markup removed) over the rendered response with the CSS Custom
// Highlight API, one highlight per label, so the sanitized HTML itself is never changed.
export function paint(containerId, spans, labels) {
  const container = document.getElementById(containerId);
  if (!container || !globalThis.CSS?.highlights) return;
  for (const label of labels) CSS.highlights.delete("gb-" + label.slug);
  let style = document.getElementById("gb-highlight-style");
  if (!style) {
    style = document.createElement("style");
    style.id = "gb-highlight-style";
    document.head.append(style);
  }
  style.textContent = labels.map((l) => `::highlight(gb-${l.slug}) { background-color: ${l.color ?? "#ffe08a"}55; text-decoration: underline ${l.color ?? "#b08800"}; }`).join("\n");

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
  for (const [label, ranges] of byLabel) CSS.highlights.set("gb-" + label, new Highlight(...ranges));
}
