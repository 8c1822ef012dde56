// What the site says, per language: the labels and texts the tests look for, as a visitor
// reads them (src/web/locales/de.po and the catalog's names).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { QUOTE_SIGNING_SECRET, SELLER, waitFor } from './harness.mjs';

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

// The wall-clock time in Germany of an instant, as a Date to read with getUTC… (the site shows
// dates in German time: CET, CEST from 01:00 UTC on the last Sunday of March to 01:00 UTC on
// the last Sunday of October).
function germanWallClock(unixSeconds) {
  const at = new Date(unixSeconds * 1000);
  const lastSundayOneUtc = (month) => {
    const last = new Date(Date.UTC(at.getUTCFullYear(), month + 1, 0, 1));
    last.setUTCDate(last.getUTCDate() - last.getUTCDay());
    return last.getTime();
  };
  const summer = at.getTime() >= lastSundayOneUtc(2) && at.getTime() < lastSundayOneUtc(9);
  return new Date(at.getTime() + (summer ? 2 : 1) * 3600 * 1000);
}

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
      const d = germanWallClock(unixSeconds);
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
      const d = germanWallClock(unixSeconds);
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    },
  },
};

// Whitespace as a reader sees it (the site puts no-break spaces into amounts and percentages).
export function normalize(text) {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

// A token in the first quote-token format (readable JSON with an HMAC), which the API still
// opens for the seven days such tokens live (docs/adr/0010-sealed-quote-tokens.md): the one
// way a test can make a well-formed token with a payload of its choosing (an expired offer).
// Remove with that branch of the API.
export function signLegacyQuoteToken(payload) {
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const mac = createHmac('sha256', QUOTE_SIGNING_SECRET).update(encoded).digest('base64url');
  return `${encoded}.${mac}`;
}

// The offer's reference as the API derives it from a sealed token ("q2." + base64url of
// nonce, ciphertext and tag): the first 12 bytes of its authentication tag.
export function quoteReference(token) {
  assert.ok(token.startsWith('q2.'), `a sealed quote token: ${token.slice(0, 12)}…`);
  const sealed = Buffer.from(token.slice(3), 'base64url');
  return `qt_${sealed.subarray(sealed.length - 16, sealed.length - 4).toString('hex')}`;
}

// The account area, sign-up and checkout (issue 11), per language: addresses and what a person
// reads there. Merged into TEXT below.
const ACCOUNT_TEXT = {
  de: {
    signIn: '/de/login',
    signUp: '/de/signup',
    signUpSent: '/de/signup/sent',
    verify: '/de/account/verify',
    forgotPassword: '/de/account/forgot-password',
    resetPassword: '/de/account/reset-password',
    acceptInvitation: '/de/account/accept-invitation',
    checkout: '/de/checkout',
    checkoutSuccess: '/de/checkout/success',
    checkoutCanceled: '/de/checkout/canceled',
    account: '/de/account',
    orders: '/de/account/orders',
    order: '/de/account/orders/',
    invoices: '/de/account/invoices',
    invoice: '/de/account/invoices/',
    company: '/de/account/company',
    members: '/de/account/members',
    profile: '/de/account/profile',
    export: '/de/account/export',
    deleteAccount: '/de/account/delete',
    continueToOrder: 'Weiter zur Bestellung',
    toOrderSignIn: 'Zum Bestellen melden Sie sich bitte an oder erstellen ein Konto für Ihr Unternehmen.',
    createAccountLink: 'Konto für Ihr Unternehmen erstellen',
    companyName: 'Name des Unternehmens',
    street: 'Straße und Hausnummer',
    postcode: 'Postleitzahl',
    city: 'Ort',
    yourName: 'Ihr Name',
    email: 'E-Mail-Adresse',
    password: 'Passwort',
    createAccount: 'Konto erstellen',
    checkInbox: 'Bitte prüfen Sie Ihr Postfach',
    confirmEmail: 'E-Mail-Adresse bestätigen',
    verified: 'Ihre E-Mail-Adresse ist bestätigt. Bitte melden Sie sich an.',
    signInButton: 'Anmelden',
    wrongCredentials: 'E-Mail-Adresse oder Passwort ist falsch.',
    accountDisabled: 'Dieses Konto ist gesperrt. Bitte wenden Sie sich an uns.',
    sendLink: 'Link senden',
    resetSent:
      'Wenn es zu dieser Adresse ein Konto gibt, haben wir ihr einen Link zum Festlegen eines neuen Passworts geschickt. Der Link ist eine Stunde gültig.',
    savePassword: 'Passwort speichern',
    passwordReset: 'Ihr Passwort wurde geändert. Bitte melden Sie sich mit dem neuen an.',
    invalidLink: 'Dieser Link ist ungültig, abgelaufen oder wurde schon benutzt.',
    sessionEnded: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
    yourOrder: 'Ihre Bestellung',
    acceptTerms: /^Ich akzeptiere die /,
    termsRequired: 'Bitte akzeptieren Sie die AGB, um zu bestellen.',
    earlyStart: /^Ich verlange ausdrücklich/,
    earlyStartRequired:
      'Ohne Ihr ausdrückliches Verlangen können wir nicht vor Ablauf der Widerrufsfrist beginnen und diese Bestellung daher nicht annehmen.',
    withdrawalTitle: 'Ihr Widerrufsrecht',
    orderButton: 'Zahlungspflichtig bestellen',
    onlyOwnerCanOrder:
      'Bestellen kann nur der Inhaber des Unternehmenskontos. Bitten Sie ihn, diese Konfiguration zu bestellen oder Ihnen die Inhaberschaft zu übergeben.',
    forbidden: 'Das darf nur der Inhaber Ihres Unternehmens.',
    // The Stripe stand-in's hosted page (src/stripe_fake/pages/checkout_page.cpp).
    cardNumber: 'Kartennummer',
    cardExpiry: 'Gültig bis (MM/JJ)',
    payButton: /^Bezahlen: /,
    cancelPayment: 'Abbrechen und zurück',
    thankYou: 'Vielen Dank für Ihre Bestellung',
    workspaceReady: 'Ihr Arbeitsbereich ist bereit.',
    paymentBeingConfirmed: 'Ihre Zahlung wird bestätigt. Diese Seite aktualisiert sich selbst.',
    plan: 'Tarif',
    seatsFact: 'Sitze',
    licenceKey: 'Lizenzschlüssel',
    seeOrder: 'Die Bestellung in Ihrem Konto ansehen',
    paymentCancelled: 'Zahlung abgebrochen',
    tryPaymentAgain: 'Zahlung erneut versuchen',
    payNow: 'Jetzt bezahlen',
    status: 'Status',
    statusActive: 'aktiv',
    statusAwaiting: 'Zahlung ausstehend',
    earlyStartRequested: 'Sofortiger Beginn verlangt',
    firstInvoice: 'Erste Rechnung',
    invoicesNav: 'Rechnungen',
    invoiceTotal: 'Gesamt',
    invoiceStatusPaid: 'bezahlt',
    managePayment: 'Zahlungsmethode verwalten',
    myAccount: 'Mein Konto',
    signOut: 'Abmelden',
    signedOut: 'Sie sind abgemeldet.',
    yourAccount: 'Ihr Konto',
    yourRole: 'Ihre Rolle',
    signedInAs: 'Angemeldet als',
    ordersHeading: 'Bestellungen',
    membersHeading: 'Mitglieder',
    theirEmail: 'E-Mail-Adresse der Kollegin oder des Kollegen',
    sendInvitation: 'Einladung senden',
    invited: 'Die Einladung ist unterwegs. Sie ist sieben Tage gültig.',
    pendingInvitations: 'Offene Einladungen',
    withdraw: 'Zurückziehen',
    withdrawn: 'Die Einladung wurde zurückgezogen; der Link darin funktioniert nicht mehr.',
    acceptInvitationHeading: 'Einladung annehmen',
    joinAndSignIn: 'Beitreten und anmelden',
    joined: 'Willkommen im Konto Ihres Unternehmens. Bitte melden Sie sich mit Ihrem neuen Passwort an.',
    remove: 'Entfernen',
    removeConfirm: (name) => `${name} entfernen?`,
    removeNow: 'Jetzt entfernen',
    removed: 'Das Mitglied wurde entfernt und abgemeldet.',
    makeOwner: 'Zum Inhaber machen',
    handoverConfirm: (name) => `Die Inhaberschaft an ${name} übergeben?`,
    handOverNow: 'Jetzt übergeben',
    cancel: 'Abbrechen',
    owner: 'Inhaber',
    member: 'Mitglied',
    profileHeading: 'Profil',
    languageLabel: 'Sprache der E-Mails und der Website nach der Anmeldung',
    saveButton: 'Speichern',
    saved: 'Gespeichert.',
    currentPassword: 'Aktuelles Passwort',
    newPassword: 'Neues Passwort',
    changePassword: 'Passwort ändern',
    passwordChanged: 'Ihr Passwort wurde geändert; Ihre anderen Anmeldungen sind beendet.',
    downloadData: 'Meine Daten herunterladen',
    deleteHeading: 'Konto löschen',
    deleteMyAccount: 'Mein Konto löschen',
    deleteConfirm: 'Ja, mein Konto endgültig löschen.',
    accountDeleted: 'Ihr Konto wurde gelöscht',
    ownerMustHandOver:
      'Sie sind Inhaber des Unternehmenskontos. Übergeben Sie die Inhaberschaft an eine Kollegin oder einen Kollegen oder schließen Sie das Unternehmenskonto, bevor Sie Ihr Konto löschen.',
    mail: {
      verify: 'Bitte bestätigen Sie Ihre E-Mail-Adresse',
      invitation: 'Einladung in ein Team bei Code Zero AI',
      accessDetails: 'Ihr Arbeitsbereich bei Code Zero AI ist bereit',
      orderConfirmation: 'Ihre Bestellung bei Code Zero AI ist bezahlt',
      passwordReset: 'Ihr Passwort zurücksetzen',
    },
  },
  en: {
    signIn: '/en/login',
    signUp: '/en/signup',
    signUpSent: '/en/signup/sent',
    verify: '/en/account/verify',
    forgotPassword: '/en/account/forgot-password',
    resetPassword: '/en/account/reset-password',
    acceptInvitation: '/en/account/accept-invitation',
    checkout: '/en/checkout',
    checkoutSuccess: '/en/checkout/success',
    checkoutCanceled: '/en/checkout/canceled',
    account: '/en/account',
    orders: '/en/account/orders',
    order: '/en/account/orders/',
    invoices: '/en/account/invoices',
    invoice: '/en/account/invoices/',
    company: '/en/account/company',
    members: '/en/account/members',
    profile: '/en/account/profile',
    export: '/en/account/export',
    deleteAccount: '/en/account/delete',
    continueToOrder: 'Continue to order',
    toOrderSignIn: 'To order, please sign in or create an account for your company.',
    createAccountLink: 'Create an account for your company',
    companyName: 'Company name',
    street: 'Street and number',
    postcode: 'Postcode',
    city: 'City',
    yourName: 'Your name',
    email: 'E-mail address',
    password: 'Password',
    createAccount: 'Create account',
    checkInbox: 'Check your inbox',
    confirmEmail: 'Confirm e-mail address',
    verified: 'Your e-mail address is confirmed. Please sign in.',
    signInButton: 'Sign in',
    wrongCredentials: 'The e-mail address or the password is wrong.',
    accountDisabled: 'This account is disabled. Please contact us.',
    sendLink: 'Send link',
    resetSent: 'If an account exists for this address, we have sent it a link to set a new password. The link is valid for one hour.',
    savePassword: 'Save password',
    passwordReset: 'Your password has been changed. Please sign in with the new one.',
    invalidLink: 'This link is invalid, has expired or was used already.',
    sessionEnded: 'Your session has ended. Please sign in again.',
    yourOrder: 'Your order',
    acceptTerms: /^I accept the /,
    termsRequired: 'Please accept the terms to order.',
    earlyStart: /^I expressly ask you/,
    earlyStartRequired:
      'Without your express request we cannot begin before the withdrawal period ends, so we cannot take this order.',
    withdrawalTitle: 'Your right of withdrawal',
    orderButton: 'Order with obligation to pay',
    onlyOwnerCanOrder:
      "Only the owner of your company's account can order. Please ask them to order this configuration, or to hand the ownership over to you.",
    forbidden: 'Only the owner of your company may do this.',
    cardNumber: 'Card number',
    cardExpiry: 'Expiry (MM/YY)',
    payButton: /^Pay /,
    cancelPayment: 'Cancel and go back',
    thankYou: 'Thank you for your order',
    workspaceReady: 'Your workspace is ready.',
    paymentBeingConfirmed: 'Your payment is being confirmed. This page updates itself.',
    plan: 'Plan',
    seatsFact: 'Seats',
    licenceKey: 'Licence key',
    seeOrder: 'See the order in your account',
    paymentCancelled: 'Payment cancelled',
    tryPaymentAgain: 'Try the payment again',
    payNow: 'Pay now',
    status: 'Status',
    statusActive: 'active',
    statusAwaiting: 'awaiting payment',
    earlyStartRequested: 'Early start requested',
    firstInvoice: 'First invoice',
    invoicesNav: 'Invoices',
    invoiceTotal: 'Total',
    invoiceStatusPaid: 'paid',
    managePayment: 'Manage payment method',
    myAccount: 'My account',
    signOut: 'Sign out',
    signedOut: 'You are signed out.',
    yourAccount: 'Your account',
    yourRole: 'Your role',
    signedInAs: 'Signed in as',
    ordersHeading: 'Orders',
    membersHeading: 'Members',
    theirEmail: 'Their e-mail address',
    sendInvitation: 'Send invitation',
    invited: 'The invitation is on its way. It is valid for seven days.',
    pendingInvitations: 'Pending invitations',
    withdraw: 'Withdraw',
    withdrawn: 'The invitation was withdrawn: its link no longer works.',
    acceptInvitationHeading: 'Accept your invitation',
    joinAndSignIn: 'Join and sign in',
    joined: "Welcome to your company's account. Please sign in with your new password.",
    remove: 'Remove',
    removeConfirm: (name) => `Remove ${name}?`,
    removeNow: 'Remove now',
    removed: 'The member was removed and signed out.',
    makeOwner: 'Make owner',
    handoverConfirm: (name) => `Hand the ownership over to ${name}?`,
    handOverNow: 'Hand over now',
    cancel: 'Cancel',
    owner: 'Owner',
    member: 'Member',
    profileHeading: 'Profile',
    languageLabel: 'Language of e-mails and of the site after sign-in',
    saveButton: 'Save',
    saved: 'Saved.',
    currentPassword: 'Current password',
    newPassword: 'New password',
    changePassword: 'Change password',
    passwordChanged: 'Your password has been changed; your other sign-ins have ended.',
    downloadData: 'Download my data',
    deleteHeading: 'Delete your account',
    deleteMyAccount: 'Delete my account',
    deleteConfirm: 'Yes, delete my account for good.',
    accountDeleted: 'Your account has been deleted',
    ownerMustHandOver:
      "You own your company's account. Hand the ownership over to a colleague, or close the company's account, before you delete yours.",
    mail: {
      verify: 'Please confirm your e-mail address',
      invitation: 'An invitation to a team on Code Zero AI',
      accessDetails: 'Your Code Zero AI workspace is ready',
      orderConfirmation: 'Your Code Zero AI order is paid',
      passwordReset: 'Reset your password',
    },
  },
};
for (const lang of ['de', 'en']) {
  for (const key of Object.keys(ACCOUNT_TEXT[lang])) {
    if (key in TEXT[lang]) throw new Error(`site.mjs: TEXT.${lang}.${key} is defined twice`);
  }
  Object.assign(TEXT[lang], ACCOUNT_TEXT[lang]);
}

// Subscriptions and "Verträge hier kündigen" (issue 14), per language. Merged into TEXT below.
const SUBSCRIPTION_TEXT = {
  de: {
    subscriptions: '/de/account/subscriptions',
    subscriptionCancel: '/de/account/subscriptions/cancel',
    cancelPage: '/de/kuendigen',
    cancelConfirm: '/de/kuendigen/bestaetigen',
    subscriptionsNav: 'Abonnements',
    subscriptionChange: '/de/account/subscriptions/change',
    changePlan: 'Tarif oder Add-ons ändern',
    showPrice: 'Preis anzeigen',
    chargedNow: 'Jetzt fällig',
    changeAndPay: 'Zahlungspflichtig ändern',
    changedNotice: 'Ihr Abonnement wurde geändert.',
    referrals: '/de/account/referrals',
    referralsNav: 'Empfehlungen',
    copyLink: 'Link kopieren',
    linkCopied: 'Link kopiert.',
    referredNotice: /^Sie wurden uns empfohlen: Der Empfehlungscode CZ-[2-9A-HJKMNP-Z]{4} wird/,
    configurePlan: 'Tarif konfigurieren',
    referralDiscount: /^Empfehlungsrabatt CZ-[2-9A-HJKMNP-Z]{4} \(10\s%/,
    referralHolding: /^Bezahlt; Gutschrift am /,
    cancelContracts: 'Verträge hier kündigen',
    cancelNow: 'Jetzt kündigen',
    cancellationReceived: 'Kündigung eingegangen',
    receivedOn: /^Ihre Kündigung ist am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr \((MEZ|MESZ)\) bei uns eingegangen\.$/,
    confirmCancellation: 'Kündigung bestätigen',
    cancellationConfirmed: /^Ihre Kündigung ist bestätigt\./,
    subscriptionActive: 'Aktiv',
    subscriptionEnding: /^Gekündigt, endet am /,
    takeBack: 'Kündigung zurücknehmen',
    resumedNotice: 'Ihr Abonnement läuft weiter. Wir haben Ihnen eine Bestätigung per E-Mail gesendet.',
    cancelSubscription: 'Abonnement kündigen',
    cancelledNotice: 'Ihre Kündigung ist eingegangen. Wir haben Ihnen eine Bestätigung per E-Mail gesendet.',
    cancellationMail: {
      link: 'Eingangsbestätigung Ihrer Kündigung bei Code Zero AI',
      received: 'Ihre Kündigung bei Code Zero AI ist eingegangen',
      resumed: 'Ihr Abonnement bei Code Zero AI läuft weiter',
    },
  },
  en: {
    subscriptions: '/en/account/subscriptions',
    subscriptionCancel: '/en/account/subscriptions/cancel',
    cancelPage: '/en/cancel',
    cancelConfirm: '/en/cancel/confirm',
    subscriptionsNav: 'Subscriptions',
    subscriptionChange: '/en/account/subscriptions/change',
    changePlan: 'Change plan or add-ons',
    showPrice: 'Show the price',
    chargedNow: 'Charged now',
    changeAndPay: 'Change with obligation to pay',
    changedNotice: 'Your subscription has been changed.',
    referrals: '/en/account/referrals',
    referralsNav: 'Referrals',
    copyLink: 'Copy link',
    linkCopied: 'Link copied.',
    referredNotice: /^You were recommended to us: the referral code CZ-[2-9A-HJKMNP-Z]{4} is/,
    configurePlan: 'Configure your plan',
    referralDiscount: /^Referral discount CZ-[2-9A-HJKMNP-Z]{4} \(10\s?%/,
    referralHolding: /^Paid; credited on /,
    cancelContracts: 'Cancel contracts here',
    cancelNow: 'Cancel now',
    cancellationReceived: 'Cancellation received',
    receivedOn: /^We received your cancellation on \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} (CET|CEST)\.$/,
    confirmCancellation: 'Confirm cancellation',
    cancellationConfirmed: /^Your cancellation is confirmed\./,
    subscriptionActive: 'Active',
    subscriptionEnding: /^Cancelled, ends on /,
    takeBack: 'Take the cancellation back',
    resumedNotice: 'Your subscription continues. We have sent you a confirmation by e-mail.',
    cancelSubscription: 'Cancel subscription',
    cancelledNotice: 'Your cancellation has been received. We have sent you a confirmation by e-mail.',
    cancellationMail: {
      link: 'Receipt of your cancellation at Code Zero AI',
      received: 'Your cancellation at Code Zero AI has been received',
      resumed: 'Your Code Zero AI subscription continues',
    },
  },
};
for (const lang of ['de', 'en']) {
  for (const key of Object.keys(SUBSCRIPTION_TEXT[lang])) {
    if (key in TEXT[lang]) throw new Error(`site.mjs: TEXT.${lang}.${key} is defined twice`);
  }
  Object.assign(TEXT[lang], SUBSCRIPTION_TEXT[lang]);
}

// The <dd> of the description list entry whose <dt> reads exactly `term`.
export function factOf(page, term) {
  const exact = new RegExp(`^\\s*${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.locator('dt').filter({ hasText: exact }).first().locator('xpath=following-sibling::dd[1]');
}

// Signs in through the sign-in page (from wherever `page` is) and waits to leave it.
export async function signIn(page, stack, account, { lang = 'de', next } = {}) {
  const t = TEXT[lang];
  await page.goto(stack.url(next ? `${t.signIn}?next=${encodeURIComponent(next)}` : t.signIn));
  await page.getByLabel(t.email).fill(account.email);
  await page.getByLabel(t.password, { exact: true }).fill(account.password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith(t.signIn)),
    page.getByRole('button', { name: t.signInButton, exact: true }).click(),
  ]);
}

// The visitor signs up through the sign-up form (already open): company and person.
export async function fillSignUp(page, t, account) {
  await page.getByLabel(t.companyName).fill(account.company);
  await page.getByLabel(t.street).fill(account.address?.line1 ?? 'Hauptstraße 5');
  await page.getByLabel(t.postcode).fill(account.address?.postal_code ?? '10115');
  await page.getByLabel(t.city, { exact: true }).fill(account.address?.city ?? 'Berlin');
  await page.getByLabel(t.yourName).fill(account.name);
  await page.getByLabel(t.email).fill(account.email);
  await page.getByLabel(t.password, { exact: true }).fill(account.password);
}

// Pays on the Stripe stand-in's hosted page with `card` (its number as typed).
export async function payOnStandIn(page, t, card) {
  await page.getByLabel(t.cardNumber).fill(card);
  await page.getByLabel(t.cardExpiry).fill('12/34');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: t.payButton }).click();
}

// A new visitor answers the consent banner first (rejects all; it would cover the page).
export async function answerConsent(page, t) {
  const banner = page.getByRole('region', { name: t.banner });
  if (!(await banner.isVisible())) return;
  await banner.getByRole('button', { name: t.rejectAll }).click();
  await waitFor(async () => !(await banner.isVisible()), { message: 'the consent banner closes' });
}

// The configurator for `query` (e.g. '?plan=team&…'), then its "continue" link: the checkout for
// a signed-in visitor, the sign-in page otherwise. Returns the configurator's total.
export async function continueToOrder(page, stack, t, query) {
  await page.goto(stack.url(`${t.configurator}${query}`));
  await answerConsent(page, t);
  const total = normalize(await page.locator('#total').textContent());
  await Promise.all([
    page.waitForURL((url) => url.pathname !== t.configurator),
    page.getByRole('link', { name: t.continueToOrder }).click(),
  ]);
  return total;
}

// On the checkout page: "Order with obligation to pay", on to the stand-in's payment page.
export async function orderAndGoToPayment(page, stack, t) {
  await Promise.all([
    page.waitForURL((url) => url.origin === stack.stripeOrigin),
    page.getByRole('button', { name: t.orderButton, exact: true }).click(),
  ]);
  assert.match(new URL(page.url()).pathname, /^\/c\/pay\/cs_test_/, "the stand-in's hosted payment page");
}

// Waits until `text` is on the page (which may reload itself meanwhile, as the success page does).
export async function waitForText(page, text, timeout = 30_000) {
  await waitFor(async () => (await page.getByText(text, { exact: true }).count()) > 0, {
    timeout,
    interval: 200,
    message: `"${text}" on ${page.url()}`,
  });
}

// A new customer's whole purchase in `page`: the configurator for `query`, sign-up, the
// e-mail's link, sign-in, the checkout, the stand-in's payment page with `card`, and the success
// page until the workspace is ready. `buyer`: { company, name, email, password }. The order id.
export async function buyAsNewCustomer(page, stack, t, buyer, { query, card }) {
  await continueToOrder(page, stack, t, query);
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.signUp),
    page.getByRole('link', { name: t.createAccountLink }).click(),
  ]);
  await fillSignUp(page, t, buyer);
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.signUpSent),
    page.getByRole('button', { name: t.createAccount, exact: true }).click(),
  ]);
  const mail = await stack.waitForMail({ to: buyer.email, subject: t.mail.verify });
  await page.goto(stack.mailLink(mail, t.verify));
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.signIn),
    page.getByRole('button', { name: t.confirmEmail }).click(),
  ]);
  await page.getByLabel(t.email).fill(buyer.email);
  await page.getByLabel(t.password, { exact: true }).fill(buyer.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.checkout),
    page.getByRole('button', { name: t.signInButton, exact: true }).click(),
  ]);
  await page.getByLabel(t.acceptTerms).check();
  await orderAndGoToPayment(page, stack, t);
  await Promise.all([
    page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
    payOnStandIn(page, t, card),
  ]);
  const orderId = new URL(page.url()).searchParams.get('order');
  await waitForText(page, t.workspaceReady);
  return orderId;
}
