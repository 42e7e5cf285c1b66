// Keyboard shortcuts of the grading page. Digits choose a value in the focused criterion (by its number on a
// numbered scale, else the nth option); j/k move to the next/previous item; Ctrl+Enter submits.
export function attach(page) {
  const onKey = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      page.invokeMethodAsync("SubmitFromKeyboard");
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
