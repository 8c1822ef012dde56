// What the site says, per language: the labels and texts the tests look for, as a visitor
// reads them (src/web/locales/de.po and the catalog's names).
import { createHmac } from 'node:crypto';
import { QUOTE_SIGNING_SECRET, SELLER } from './harness.mjs';

// The seller's data as the Impressum and the offer show it.
export const SELLER_TEXT = [
  SELLER.SELLER_NAME,
  SELLER.SELLER_STREET,
  `${SELLER.SELLER_POSTCODE} ${SELLER.SELLER_CITY}`,
  SELLER.SELLER_EMAIL,
  SELLER.SELLER_MANAGING_DIRECTORS,
  SELLER.SELLER_REGISTER_COURT,
  SELLER.SELLER_REGISTER_NUMBER,
  SELLER.SELLER_VAT_ID,
];

export const TEXT = {
  de: {
    lang: 'de',
    locale: 'de-DE',
    home: '/de/',
    configurator: '/de/konfigurator',
    fragment: '/de/konfigurator/fragment',
    offer: '/de/angebot/',
    consent: '/de/einwilligung',
    cookies: '/de/cookies',
    legal: ['/de/impressum', '/de/datenschutz', '/de/agb', '/de/widerruf', '/de/cookies'],
    switchLink: 'English',
    monthly: 'Monatlich',
    yearly: 'Jährlich',
    seats: 'Zusätzlicher Sitz',
    credits: '+5 Mio. KI-Credits',
    sso: 'Single Sign-on (SAML/OIDC)',
    auditLog: 'Audit-Log, 1 Jahr',
    euResidency: 'Dedizierte EU-Datenresidenz',
    business: 'Ein Unternehmen',
    consumer: 'Eine Privatperson',
    country: 'Land',
    countries: { DE: 'Deutschland', AT: 'Österreich', FR: 'Frankreich', US: 'Vereinigte Staaten' },
    vatId: 'USt-IdNr. (Unternehmen, optional)',
    code: 'Gutschein- oder Empfehlungscode (optional)',
    update: 'Preis aktualisieren',
    printOffer: 'Angebot drucken',
    included: 'In Ihrem Tarif enthalten',
    onlyWith: 'Nur mit',
    reverseCharge: 'USt. 0 % (Reverse Charge)',
    oss: (rate, country) => `USt. ${rate} % (${country})`,
    coupon: 'Gutschein LAUNCH20 (20 % auf die erste Rechnung)',
    invalidVatId: (id) => `Die USt-IdNr. „${id}“ ist ungültig.`,
    checkEntries: 'Bitte prüfen Sie Ihre Angaben',
    dueToday: 'Heute fällig',
    offerTitle: 'Angebot',
    offerTotal: 'Gesamtbetrag der ersten Rechnung',
    offerReference: 'Angebotsnummer',
    validUntil: 'Gültig bis',
    notFound: 'Seite nicht gefunden',
    expired: 'Dieses Angebot ist abgelaufen',
    unavailable: 'Vorübergehend nicht verfügbar',
    refused: 'Anfrage abgelehnt',
    errorCode: (status) => `Fehler ${status}`,
    reference: 'Wenn Sie uns deswegen kontaktieren, nennen Sie bitte die Referenz',
    banner: 'Ihre Datenschutz-Einstellungen',
    rejectAll: 'Alle ablehnen',
    acceptAll: 'Alle akzeptieren',
    settings: 'Einstellungen',
    statistics: 'Statistik',
    marketing: 'Marketing',
    save: 'Auswahl speichern',
    cookieSettings: 'Cookie-Einstellungen',
    date: (unixSeconds) => {
      const d = new Date(unixSeconds * 1000);
      const two = (n) => String(n).padStart(2, '0');
      return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
    },
  },
  en: {
    lang: 'en',
    locale: 'en-US',
    home: '/en/',
    configurator: '/en/configurator',
    fragment: '/en/configurator/fragment',
    offer: '/en/offer/',
    consent: '/en/consent',
    cookies: '/en/cookies',
    legal: ['/en/imprint', '/en/privacy', '/en/terms', '/en/withdrawal', '/en/cookies'],
    switchLink: 'Deutsch',
    monthly: 'Monthly',
    yearly: 'Yearly',
    seats: 'Additional seat',
    credits: '+5 M AI credits',
    sso: 'Single sign-on (SAML/OIDC)',
    auditLog: 'Audit log, 1 year',
    euResidency: 'Dedicated EU data residency',
    business: 'A business',
    consumer: 'A consumer',
    country: 'Country',
    countries: { DE: 'Germany', AT: 'Austria', FR: 'France', US: 'United States' },
    vatId: 'VAT ID (businesses, optional)',
    code: 'Coupon or referral code (optional)',
    update: 'Update price',
    printOffer: 'Print offer',
    included: 'Included in your plan',
    onlyWith: 'Only with',
    reverseCharge: 'VAT 0 % (reverse charge)',
    oss: (rate, country) => `VAT ${rate}% (${country})`,
    coupon: 'Coupon LAUNCH20 (20% on the first invoice)',
    invalidVatId: (id) => `The VAT ID "${id}" is not valid.`,
    checkEntries: 'Please check your entries',
    dueToday: 'Due today',
    offerTitle: 'Offer',
    offerTotal: 'Total of the first invoice',
    offerReference: 'Offer reference',
    validUntil: 'Valid until',
    notFound: 'Page not found',
    expired: 'This offer has expired',
    unavailable: 'Temporarily unavailable',
    refused: 'Request refused',
    errorCode: (status) => `Error ${status}`,
    reference: 'If you contact us about this, please quote the reference',
    banner: 'Your privacy choices',
    rejectAll: 'Reject all',
    acceptAll: 'Accept all',
    settings: 'Settings',
    statistics: 'Statistics',
    marketing: 'Marketing',
    save: 'Save my choice',
    cookieSettings: 'Cookie settings',
    date: (unixSeconds) => {
      const d = new Date(unixSeconds * 1000);
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    },
  },
};

// Whitespace as a reader sees it (the site puts no-break spaces into amounts and percentages).
export function normalize(text) {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

// A quote token's parts: the signed payload (JSON) and the signature.
export function decodeQuoteToken(token) {
  const [payload, signature] = token.split('.');
  return {
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    signature: Buffer.from(signature, 'base64url'),
  };
}

// A token as the API would sign it, for a payload the test chose (an expired offer).
export function signQuoteToken(payload) {
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const mac = createHmac('sha256', QUOTE_SIGNING_SECRET).update(encoded).digest('base64url');
  return `${encoded}.${mac}`;
}

// The offer's reference as the API derives it from the token (its signature's first 12 bytes).
export function quoteReference(token) {
  return `qt_${decodeQuoteToken(token).signature.subarray(0, 12).toString('hex')}`;
}
