// The site's one script: progressive enhancement only. Every page works without it; with it
// the configurator updates in place, the consent dialog answers without a reload, the offer
// page gets a print button, the order's progress updates itself and the referral link gets a copy
// button. No framework, no storage, no third-party request.
import { enhanceConfigurator } from "./configurator";
import { enhanceConsent } from "./consent";
import { enhanceCopyButtons } from "./copy";
import { enhanceOffer } from "./offer";
import { enhanceOrderStatus } from "./order_status";

function start(): void {
  enhanceConsent(document);
  enhanceConfigurator(document);
  enhanceOffer(document);
  enhanceOrderStatus(document);
  enhanceCopyButtons(document);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
