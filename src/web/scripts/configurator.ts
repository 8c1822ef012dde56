// The configurator without reloads: on every change the form's values become the page's
// query (history.replaceState, so the address stays shareable), the server renders the same
// form for that query (GET …/fragment), and the parts marked data-live are swapped in, the
// inputs' states (disabled, limits, validity) copied over. The numbers are the server's, the
// same as without JavaScript. Requests overtaken by a newer change are aborted.

const DEBOUNCE_MS = 250;

function queryOf(form: HTMLFormElement): string {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== "string") continue;
    const trimmed = value.trim();
    if (trimmed === "" || trimmed === "0") continue;
    params.append(name, trimmed);
  }
  return params.toString();
}

function syncControls(current: HTMLFormElement, next: HTMLFormElement): void {
  for (const control of Array.from(current.elements)) {
    if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) continue;
    if (!control.id) continue;
    const fresh = next.querySelector<HTMLInputElement | HTMLSelectElement>(`#${CSS.escape(control.id)}`);
    if (!fresh) continue;
    // A control the server switched off or on again (an add-on the new plan does not offer,
    // includes, or offers again) takes the server's state; others keep the visitor's.
    const switched = fresh.disabled !== control.disabled;
    control.disabled = fresh.disabled;
    for (const attribute of ["aria-invalid", "max", "min"]) {
      const value = fresh.getAttribute(attribute);
      if (value === null) control.removeAttribute(attribute);
      else control.setAttribute(attribute, value);
    }
    if (switched || fresh.disabled) {
      if (control instanceof HTMLInputElement && fresh instanceof HTMLInputElement) {
        if (control.type === "checkbox") control.checked = fresh.checked;
        else control.value = fresh.value;
      }
    }
  }
}

function swapLiveRegions(root: Document, next: Document): void {
  for (const region of Array.from(next.querySelectorAll<HTMLElement>("[data-live][id]"))) {
    const target = root.getElementById(region.id);
    if (target && target.innerHTML !== region.innerHTML) target.innerHTML = region.innerHTML;
  }
}

// What carries the page's address: the language switch, and where the consent form returns to.
function keepQuery(root: Document, query: string): void {
  for (const link of Array.from(root.querySelectorAll<HTMLAnchorElement>("a[data-keep-query]"))) {
    const url = new URL(link.href, window.location.href);
    url.search = query;
    link.href = url.pathname + url.search;
  }
  for (const field of Array.from(root.querySelectorAll<HTMLInputElement>("input[name=return]"))) {
    field.value = `${window.location.pathname}?${query}`;
  }
}

export function enhanceConfigurator(root: Document): void {
  const form = root.querySelector<HTMLFormElement>("form#configurator[data-fragment]");
  if (!form) return;
  const fragmentUrl = form.dataset.fragment ?? "";
  for (const button of Array.from(form.querySelectorAll<HTMLElement>("[data-no-script]"))) {
    button.hidden = true;
  }
  let timer: number | undefined;
  let inFlight: AbortController | undefined;

  const update = async (): Promise<void> => {
    const query = queryOf(form);
    history.replaceState(history.state, "", `${window.location.pathname}?${query}`);
    keepQuery(root, query);
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${fragmentUrl}?${query}`, {
        headers: { Accept: "text/html" },
        signal: controller.signal,
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const next = new DOMParser().parseFromString(await response.text(), "text/html");
      const nextForm = next.querySelector<HTMLFormElement>("form#configurator");
      if (!nextForm || controller.signal.aborted) return;
      syncControls(form, nextForm);
      swapLiveRegions(root, next);
    } catch (error) {
      if (controller.signal.aborted) return;
      // Without an answer the page falls back to what works without a script.
      form.submit();
    } finally {
      if (inFlight === controller) form.removeAttribute("aria-busy");
    }
  };

  const schedule = (delay: number): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void update(), delay);
  };
  form.addEventListener("change", () => schedule(0));
  form.addEventListener("input", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && (target.type === "text" || target.type === "number")) {
      schedule(DEBOUNCE_MS);
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    schedule(0);
  });
}
