// Focus after navigation (see FocusHeadingOnNavigate.razor): the heading, unless the user is typing in a field.
const isTextField = (element) => element instanceof HTMLTextAreaElement || element?.isContentEditable ||
  (element instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit", "reset", "file", "range"].includes(element.type));

export function focusHeadingUnlessTyping(selector) {
  if (isTextField(document.activeElement)) return;
  const heading = document.querySelector(selector);
  if (!heading) return;
  if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  heading.focus();
}
