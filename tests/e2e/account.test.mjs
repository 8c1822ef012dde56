// The account area (issue 11): a colleague invited from the members page accepts through the
// e-mail's link, signs in, sees the company's orders and cannot buy; another company's order is
// the 404 page; signing out ends the session on the server (the old cookie is worthless); the
// profile's name, language and password; the data export; removing a member and handing the
// ownership over, each after its confirmation step.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addMember,
  closeAll,
  createAccount,
  launchBrowser,
  newContext,
  startStack,
  test,
  uniqueEmail,
} from './harness.mjs';
import { answerConsent, continueToOrder, factOf, normalize, orderAndGoToPayment, signIn, TEXT } from './site.mjs';

const SESSION = '__Host-session';
const BUSINESS = '?plan=team&interval=month&type=business&country=DE';

let stack;
let browser;

before(async () => {
  stack = await startStack({ payments: true });
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
});

// The owner orders (and leaves the payment page unpaid): an order awaiting payment. Its id.
async function placeOrder(page, t, owner) {
  await continueToOrder(page, stack, t, BUSINESS);
  assert.equal(new URL(page.url()).pathname, t.checkout);
  await page.getByLabel(t.acceptTerms).check();
  await orderAndGoToPayment(page, stack, t);
  const [[id]] = await stack.sql(
    `SELECT id FROM orders WHERE company_id = '${owner.companyId}' ORDER BY created_at DESC LIMIT 1`,
  );
  return id;
}

// The session cookie a context holds now.
async function sessionCookie(context) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION);
}

// Is the visitor of `context` signed in? The account page answers, or sends them to sign in.
async function signedIn(context, t) {
  const page = await context.newPage();
  try {
    await page.goto(stack.url(t.account));
    return new URL(page.url()).pathname === t.account;
  } finally {
    await page.close();
  }
}

describe('invitation', () => {
  test('de: the owner invites a colleague, who joins through the e-mail link, sees the orders and cannot buy', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Einladend GmbH', name: 'Olga Inhaberin' });
    const ownerContext = await newContext(browser, { js: false, locale: t.locale });
    const inviteeContext = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await ownerContext.newPage();
      await signIn(page, stack, owner);
      const orderId = await placeOrder(page, t, owner);

      // The invitation, from the members page.
      await page.goto(stack.url(t.members));
      const invitee = { email: uniqueEmail('colleague'), name: 'Chris Kollege', password: 'another long passphrase' };
      await page.getByLabel(t.theirEmail).fill(invitee.email);
      await Promise.all([
        page.waitForURL((url) => url.pathname === t.members && url.searchParams.get('invited') === '1'),
        page.getByRole('button', { name: t.sendInvitation }).click(),
      ]);
      await page.getByText(t.invited).waitFor();

      // The e-mail (in German, naming the company in its text, never in its subject) and its link.
      const mail = await stack.waitForMail({ to: invitee.email, subject: t.mail.invitation });
      assert.ok(mail.text.includes('Einladend GmbH'), mail.text);
      const link = stack.mailLink(mail, t.acceptInvitation);

      // The colleague accepts: name and password, then signs in.
      const invited = await inviteeContext.newPage();
      await invited.goto(link);
      assert.equal(await invited.getByRole('heading', { level: 1 }).textContent(), t.acceptInvitationHeading);
      await invited.getByLabel(t.yourName).fill(invitee.name);
      await invited.getByLabel(t.password, { exact: true }).fill(invitee.password);
      // The consent banner is still open (a new browser): the page keeps room for it, so the
      // focused button is not hidden behind it (WCAG 2.2, 2.4.11) and can be pressed.
      const join = invited.getByRole('button', { name: t.joinAndSignIn });
      await join.focus();
      const hidden = await join.evaluate((button) => {
        const banner = document.getElementById('consent');
        return !banner.hidden && button.getBoundingClientRect().bottom > banner.getBoundingClientRect().top;
      });
      assert.equal(hidden, false, 'the focused button is above the consent banner');
      await Promise.all([invited.waitForURL((url) => url.pathname === t.signIn), join.click()]);
      await invited.getByText(t.joined).waitFor();
      await invited.getByLabel(t.email).fill(invitee.email);
      await invited.getByLabel(t.password, { exact: true }).fill(invitee.password);
      await Promise.all([
        invited.waitForURL((url) => url.pathname === t.account),
        invited.getByRole('button', { name: t.signInButton, exact: true }).click(),
      ]);

      // The overview: the company, the colleague as a member, the company's order.
      await invited.locator('main').getByRole('heading', { level: 2, name: 'Einladend GmbH' }).waitFor();
      assert.equal(normalize(await factOf(invited, t.yourRole).textContent()), t.member);
      assert.ok(normalize(await factOf(invited, t.signedInAs).textContent()).startsWith(invitee.name));
      const orderLink = invited.locator(`a[href="${t.order}${orderId}"]`);
      assert.equal(await orderLink.count(), 1, 'the owner\'s order is listed');
      await invited.goto(stack.url(t.orders));
      const row = invited.getByRole('row').filter({ has: invited.locator(`a[href="${t.order}${orderId}"]`) });
      assert.ok(normalize(await row.textContent()).includes(t.statusAwaiting));
      await Promise.all([
        invited.waitForURL((url) => url.pathname === `${t.order}${orderId}`),
        row.getByRole('link').click(),
      ]);
      assert.equal(normalize(await factOf(invited, t.status).textContent()), t.statusAwaiting);

      // Buying is for the owner: the checkout says so and has no order button.
      await continueToOrder(invited, stack, t, BUSINESS);
      assert.equal(new URL(invited.url()).pathname, t.checkout);
      await invited.getByText(t.onlyOwnerCanOrder).waitFor();
      assert.equal(await invited.getByRole('button', { name: t.orderButton }).count(), 0);

      // The owner sees the new member.
      await page.goto(stack.url(t.members));
      const memberRow = page.getByRole('row').filter({ hasText: invitee.email });
      assert.ok(normalize(await memberRow.textContent()).includes(`${invitee.name}`));
      assert.ok(normalize(await memberRow.textContent()).includes(t.member));
    } finally {
      await ownerContext.close();
      await inviteeContext.close();
    }
  });

  test('en, without JavaScript: the owner sees the pending invitations and withdraws one, whose link then fails', async () => {
    const t = TEXT.en;
    const owner = await createAccount(stack, { company: 'Withdrawing Ltd', name: 'Wanda Owner', locale: 'en' });
    const context = await newContext(browser, { js: false, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner, { lang: 'en' });
      const first = uniqueEmail('withdrawn');
      const second = uniqueEmail('still-invited');
      for (const email of [first, second]) {
        await page.goto(stack.url(t.members));
        await page.getByLabel(t.theirEmail).fill(email);
        await Promise.all([
          page.waitForURL((url) => url.pathname === t.members && url.searchParams.get('invited') === '1'),
          page.getByRole('button', { name: t.sendInvitation }).click(),
        ]);
      }
      const mail = await stack.waitForMail({ to: first, subject: t.mail.invitation });
      const link = stack.mailLink(mail, t.acceptInvitation);

      // Both are listed, with who sent them and until when they are valid.
      const pending = page.getByRole('table', { name: t.pendingInvitations });
      for (const email of [first, second]) {
        const row = pending.getByRole('row').filter({ hasText: email });
        assert.ok(normalize(await row.textContent()).includes('Wanda Owner'));
        assert.equal(await row.locator('time[datetime]').count(), 1);
      }

      // Withdrawing the first: the notice, and only the second is left.
      await Promise.all([
        page.waitForURL((url) => url.pathname === t.members && url.searchParams.get('withdrawn') === '1'),
        page.getByRole('button', { name: `${t.withdraw} ${first}` }).click(),
      ]);
      await page.getByText(t.withdrawn).waitFor();
      assert.equal(await pending.getByRole('row').filter({ hasText: first }).count(), 0);
      assert.equal(await pending.getByRole('row').filter({ hasText: second }).count(), 1);

      // The withdrawn invitation's link no longer lets anyone join.
      const invitee = await newContext(browser, { js: false, locale: t.locale });
      try {
        const invited = await invitee.newPage();
        await invited.goto(link);
        await invited.getByLabel(t.yourName).fill('Too Late');
        await invited.getByLabel(t.password, { exact: true }).fill('a long enough passphrase');
        await invited.getByRole('button', { name: t.joinAndSignIn }).click();
        await invited.getByText(t.invalidLink).first().waitFor();
      } finally {
        await invitee.close();
      }
    } finally {
      await context.close();
    }
  });
});

describe('tenant isolation', () => {
  test("en: another company's order answers the localized 404 page, on every page that takes an order id", async () => {
    const t = TEXT.en;
    const first = await createAccount(stack, { company: 'First Tenant Ltd', locale: 'en' });
    const second = await createAccount(stack, { company: 'Second Tenant Ltd', locale: 'en' });
    const firstContext = await newContext(browser, { js: true, locale: t.locale });
    const secondContext = await newContext(browser, { js: true, locale: t.locale });
    try {
      const firstPage = await firstContext.newPage();
      await signIn(firstPage, stack, first, { lang: 'en' });
      const orderId = await placeOrder(firstPage, t, first);

      const page = await secondContext.newPage();
      await signIn(page, stack, second, { lang: 'en' });
      for (const target of [`${t.order}${orderId}`, `${t.checkoutSuccess}?order=${orderId}`, `${t.checkoutCanceled}?order=${orderId}`]) {
        const response = await page.goto(stack.url(target));
        assert.equal(response.status(), 404, target);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), t.notFound, target);
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        const html = await page.content();
        assert.ok(!html.includes('First Tenant Ltd'), `${target}: nothing of the other company`);
      }
      // Their own account does not list it either.
      await page.goto(stack.url(t.orders));
      assert.equal(await page.locator(`a[href="${t.order}${orderId}"]`).count(), 0);
      // The owner of the order still sees it.
      const own = await firstPage.goto(stack.url(`${t.order}${orderId}`));
      assert.equal(own.status(), 200);
    } finally {
      await firstContext.close();
      await secondContext.close();
    }
  });
});

describe('sign-out', () => {
  test('de: signing out ends the session on the server; the old cookie no longer signs anyone in', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Abmelde GmbH' });
    const context = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      const cookie = await sessionCookie(context);
      assert.ok(cookie?.value, 'signed in: a session cookie');
      const [[liveBefore]] = await stack.sql(
        `SELECT count(*) FROM refresh_tokens WHERE user_id = '${owner.userId}' AND revoked_at IS NULL AND used_at IS NULL`,
      );
      assert.equal(Number(liveBefore), 1);

      await Promise.all([
        page.waitForURL((url) => url.pathname === t.signIn),
        page.getByRole('button', { name: t.signOut }).click(),
      ]);
      await page.getByText(t.signedOut).waitFor();
      assert.equal(await sessionCookie(context), undefined, 'the cookie is gone from the browser');
      assert.ok(!(await signedIn(context, t)));

      // The refresh token was revoked at the API (RFC 7009).
      const [[liveAfter]] = await stack.sql(
        `SELECT count(*) FROM refresh_tokens WHERE user_id = '${owner.userId}' AND revoked_at IS NULL AND used_at IS NULL`,
      );
      assert.equal(Number(liveAfter), 0, 'no live refresh token left');

      // Someone who kept the old cookie: a fresh browser with it is not signed in.
      const replay = await newContext(browser, { js: true, locale: t.locale });
      try {
        await replay.addCookies([{ ...cookie }]);
        const replayPage = await replay.newPage();
        await replayPage.goto(stack.url(t.account));
        assert.equal(new URL(replayPage.url()).pathname, t.signIn, 'sent to sign in');
        assert.equal(new URL(replayPage.url()).searchParams.get('next'), t.account);
        assert.equal(await replayPage.getByRole('button', { name: t.signOut }).count(), 0);
        assert.equal(await sessionCookie(replay), undefined, 'the stale cookie is removed');
      } finally {
        await replay.close();
      }
    } finally {
      await context.close();
    }
  });
});

describe('profile', () => {
  test('de → en: name and language change; the site follows the language, also at the next sign-in', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Sprach GmbH', name: 'Jo Alt' });
    const context = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      assert.equal(new URL(page.url()).pathname, t.account);
      await page.goto(stack.url(t.profile));
      await page.getByLabel(t.yourName).fill('Jo Neu');
      await page.getByLabel(t.languageLabel).selectOption('en');
      await Promise.all([
        page.waitForURL((url) => url.pathname === TEXT.en.profile),
        page.getByRole('button', { name: t.saveButton, exact: true }).click(),
      ]);
      await page.getByText(TEXT.en.saved).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.getByLabel(TEXT.en.yourName).inputValue(), 'Jo Neu');
      const [[name, locale]] = await stack.sql(`SELECT name, locale FROM users WHERE id = '${owner.userId}'`);
      assert.deepEqual([name, locale], ['Jo Neu', 'en']);

      await page.goto(stack.url(TEXT.en.account));
      assert.ok(normalize(await factOf(page, TEXT.en.signedInAs).textContent()).startsWith('Jo Neu'));

      // Next time, signing in on the German page leads to the English account.
      await page.getByRole('button', { name: TEXT.en.signOut }).click();
      await page.waitForURL((url) => url.pathname === TEXT.en.signIn);
      await signIn(page, stack, owner, { lang: 'de' });
      assert.equal(new URL(page.url()).pathname, TEXT.en.account);
    } finally {
      await context.close();
    }
  });

  test('en: a password change needs the current password, ends the other sign-ins, and the new one works', async () => {
    const t = TEXT.en;
    const owner = await createAccount(stack, { company: 'Password Ltd', locale: 'en' });
    const context = await newContext(browser, { js: false, locale: t.locale });
    const elsewhere = await newContext(browser, { js: true, locale: t.locale });
    try {
      const other = await elsewhere.newPage();
      await signIn(other, stack, owner, { lang: 'en' });
      const page = await context.newPage();
      await signIn(page, stack, owner, { lang: 'en' });
      await page.goto(stack.url(t.profile));

      // The wrong current password: refused, the reason next to the field.
      const newPassword = 'a brand new passphrase';
      await page.getByLabel(t.currentPassword).fill('not the password at all');
      await page.getByLabel(t.newPassword).fill(newPassword);
      await page.getByRole('button', { name: t.changePassword }).click();
      await page.waitForLoadState();
      assert.equal(await page.getByLabel(t.currentPassword).getAttribute('aria-invalid'), 'true');
      assert.ok(normalize(await page.locator('#error-current_password').textContent()).length > 0, 'a reason is given');
      assert.equal(await page.getByLabel(t.currentPassword).inputValue(), '', 'passwords are not filled in again');
      assert.ok(await signedIn(elsewhere, t), 'nothing changed: the other sign-in still works');

      // The right one: changed, the other sign-in ends, this one goes on.
      await page.getByLabel(t.currentPassword).fill(owner.password);
      await page.getByLabel(t.newPassword).fill(newPassword);
      await Promise.all([
        page.waitForURL((url) => url.pathname === t.profile && url.searchParams.get('password') === '1'),
        page.getByRole('button', { name: t.changePassword }).click(),
      ]);
      await page.getByText(t.passwordChanged).waitFor();
      assert.ok(await signedIn(context, t), 'this sign-in goes on');
      assert.ok(!(await signedIn(elsewhere, t)), 'the other sign-in has ended');

      // Sign out; the old password is refused, the new one signs in.
      await page.getByRole('button', { name: t.signOut }).click();
      await page.waitForURL((url) => url.pathname === t.signIn);
      await page.getByLabel(t.email).fill(owner.email);
      await page.getByLabel(t.password, { exact: true }).fill(owner.password);
      await page.getByRole('button', { name: t.signInButton, exact: true }).click();
      await page.getByText(t.wrongCredentials).waitFor();
      await signIn(page, stack, { ...owner, password: newPassword }, { lang: 'en' });
      assert.equal(new URL(page.url()).pathname, t.account);
    } finally {
      await context.close();
      await elsewhere.close();
    }
  });

  test('de: the data export downloads a JSON file with the person\'s data', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Export GmbH', name: 'Eli Export' });
    const context = await newContext(browser, { js: true, locale: t.locale, acceptDownloads: true });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      await page.goto(stack.url(t.profile));
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t.downloadData }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'codezero-personal-data.json');
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      const data = JSON.parse(text);
      assert.ok(text.includes(owner.email), 'the export holds the e-mail address');
      assert.ok(text.includes('Eli Export'), 'and the name');
      assert.ok(data && typeof data === 'object');
      assert.ok(!/cz_(at|rt)_/.test(text), 'no token in the export');
      assert.ok(!text.includes(owner.password), 'no password in the export');
    } finally {
      await context.close();
    }
  });
});

describe('members', () => {
  test('de: removing a member and handing the ownership over, each after a confirmation', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Team GmbH', name: 'Uta Inhaberin' });
    const leaving = await addMember(stack, owner, { name: 'Lars Geht' });
    const heir = await addMember(stack, owner, { name: 'Hana Erbt' });
    const ownerContext = await newContext(browser, { js: false, locale: t.locale });
    const leavingContext = await newContext(browser, { js: true, locale: t.locale });
    const heirContext = await newContext(browser, { js: true, locale: t.locale });
    try {
      const leavingPage = await leavingContext.newPage();
      await signIn(leavingPage, stack, leaving);
      const page = await ownerContext.newPage();
      await signIn(page, stack, owner);
      await page.goto(stack.url(t.members));
      const rowOf = (person) => page.getByRole('row').filter({ hasText: person.email });

      // Removal: the link asks first; "Cancel" changes nothing.
      await rowOf(leaving).getByRole('link', { name: `${t.remove} ${leaving.name}` }).click();
      await page.getByRole('heading', { name: t.removeConfirm(leaving.name) }).waitFor();
      await page.getByRole('link', { name: t.cancel, exact: true }).click();
      await page.waitForURL((url) => url.pathname === t.members && url.search === '');
      assert.equal(await page.getByRole('heading', { name: t.removeConfirm(leaving.name) }).count(), 0);
      assert.equal(await rowOf(leaving).count(), 1, 'still a member');
      assert.ok(await signedIn(leavingContext, t));

      await rowOf(leaving).getByRole('link', { name: `${t.remove} ${leaving.name}` }).click();
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('removed') === '1'),
        page.getByRole('button', { name: t.removeNow }).click(),
      ]);
      await page.getByText(t.removed).waitFor();
      assert.equal(await rowOf(leaving).count(), 0, 'no longer listed');
      assert.ok(!(await signedIn(leavingContext, t)), 'the removed member is signed out');
      await leavingPage.goto(stack.url(t.signIn));
      await leavingPage.getByLabel(t.email).fill(leaving.email);
      await leavingPage.getByLabel(t.password, { exact: true }).fill(leaving.password);
      await leavingPage.getByRole('button', { name: t.signInButton, exact: true }).click();
      await leavingPage.getByText(t.accountDisabled).waitFor();
      assert.equal(new URL(leavingPage.url()).pathname, t.signIn, 'and cannot sign in again');

      // Handover: asked first, then the heir owns the company and the owner is a member.
      const before = (await sessionCookie(ownerContext)).value;
      await rowOf(heir).getByRole('link', { name: `${t.makeOwner} ${heir.name}` }).click();
      await page.getByRole('heading', { name: t.handoverConfirm(heir.name) }).waitFor();
      await Promise.all([
        page.waitForURL((url) => url.pathname === t.members && url.search === ''),
        page.getByRole('button', { name: t.handOverNow }).click(),
      ]);
      assert.ok(normalize(await rowOf(heir).textContent()).includes(t.owner));
      assert.ok(normalize(await rowOf(owner).textContent()).includes(t.member));
      assert.equal(await page.getByRole('button', { name: t.sendInvitation }).count(), 0, 'a member invites nobody');
      assert.notEqual((await sessionCookie(ownerContext)).value, before, 'a new session id after the privilege change');
      const roles = await stack.sql(
        `SELECT email, role FROM users WHERE company_id = '${owner.companyId}' AND disabled_at IS NULL ORDER BY email`,
      );
      assert.deepEqual(
        Object.fromEntries(roles),
        { [owner.email]: 'member', [heir.email]: 'owner' },
      );

      // The former owner can no longer buy; the heir can.
      await continueToOrder(page, stack, t, BUSINESS);
      await page.getByText(t.onlyOwnerCanOrder).waitFor();
      const heirPage = await heirContext.newPage();
      await signIn(heirPage, stack, heir);
      await continueToOrder(heirPage, stack, t, BUSINESS);
      assert.equal(await heirPage.getByRole('button', { name: t.orderButton, exact: true }).count(), 1);

      // A member may delete their own account, after ticking the confirmation (the browser
      // does not send the form without it).
      await page.goto(stack.url(t.deleteAccount));
      await page.getByRole('button', { name: t.deleteMyAccount }).click();
      assert.equal(await page.getByLabel(t.deleteConfirm).evaluate((box) => box.validity.valueMissing), true);
      assert.ok(await signedIn(ownerContext, t), 'not deleted without the confirmation');
      await page.getByLabel(t.deleteConfirm).check();
      await page.getByRole('button', { name: t.deleteMyAccount }).click();
      await page.getByRole('heading', { name: t.accountDeleted }).waitFor();
      assert.equal(await sessionCookie(ownerContext), undefined);
      const [[anonymized]] = await stack.sql(`SELECT anonymized_at IS NOT NULL FROM users WHERE id = '${owner.userId}'`);
      assert.equal(anonymized, 't');
    } finally {
      await ownerContext.close();
      await leavingContext.close();
      await heirContext.close();
    }
  });

  test('de: an owner is told to hand over first before deleting their account', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Bleibt GmbH' });
    const context = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      await page.goto(stack.url(t.deleteAccount));
      await page.getByText(t.ownerMustHandOver).waitFor();
      assert.equal(await page.getByRole('button', { name: t.deleteMyAccount }).count(), 0);
    } finally {
      await context.close();
    }
  });
});

// The forgotten-password page, the e-mail's link, the new password, without JavaScript.
async function requestReset(page, t, account) {
  await page.goto(stack.url(t.forgotPassword));
  await answerConsent(page, t);
  await page.getByLabel(t.email).fill(account.email);
  await Promise.all([
    page.waitForURL((url) => url.searchParams.get('sent') === '1'),
    page.getByRole('button', { name: t.sendLink }).click(),
  ]);
  await page.getByText(t.resetSent).waitFor();
  const mail = await stack.waitForMail({ to: account.email, subject: t.mail.passwordReset });
  return stack.mailLink(mail, t.resetPassword);
}

async function setNewPassword(page, t, password) {
  await page.getByLabel(t.newPassword).fill(password);
  await page.getByRole('button', { name: t.savePassword }).click();
  await page.waitForLoadState();
}

describe('password reset', () => {
  test('de, without JavaScript: forgot password → e-mail link → new password → signed in with it', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Vergesslich GmbH' });
    const context = await newContext(browser, { js: false, locale: t.locale });
    try {
      const page = await context.newPage();
      const link = await requestReset(page, t, owner);
      await page.goto(link);
      await setNewPassword(page, t, 'my new long passphrase');
      assert.equal(new URL(page.url()).pathname, t.signIn);
      await page.getByText(t.passwordReset).waitFor();
      await signIn(page, stack, { ...owner, password: 'my new long passphrase' });
      assert.equal(new URL(page.url()).pathname, t.account);
      // The link was for one use.
      await page.goto(link);
      await setNewPassword(page, t, 'yet another passphrase');
      await page.getByText(t.invalidLink).waitFor();
    } finally {
      await context.close();
    }
  });

});

// The consent banner and the forms around it: answering it never breaks another form of the
// page, a signed-in visitor can give and change consent, and the way back keeps the page's query.
describe('the consent banner and the forms around it', () => {
  test(
    'de, with JavaScript: after answering the banner in place, the sign-in form on the same page still works',
    async () => {
      const t = TEXT.de;
      const owner = await createAccount(stack, { company: 'Frisch GmbH' });
      const context = await newContext(browser, { js: true, locale: t.locale });
      try {
        const page = await context.newPage();
        await page.goto(stack.url(t.signIn));
        await answerConsent(page, t);
        await page.getByLabel(t.email).fill(owner.email);
        await page.getByLabel(t.password, { exact: true }).fill(owner.password);
        const answered = page.waitForResponse((response) => response.request().method() === 'POST');
        await page.getByRole('button', { name: t.signInButton, exact: true }).click();
        assert.equal((await answered).status(), 303, 'signed in, not refused');
        await page.waitForURL((url) => url.pathname === t.account);
      } finally {
        await context.close();
      }
    },
  );

  test(
    'de, with JavaScript: a signed-in visitor answers the consent banner for the first time',
    async () => {
      const t = TEXT.de;
      const owner = await createAccount(stack, { company: 'Später GmbH' });
      const context = await newContext(browser, { js: true, locale: t.locale });
      try {
        const page = await context.newPage();
        await signIn(page, stack, owner);
        const answered = page.waitForResponse((response) => response.request().method() === 'POST');
        await page.getByRole('region', { name: t.banner }).getByRole('button', { name: t.rejectAll }).click();
        assert.equal((await answered).status(), 200, 'the choice is taken');
        await page.getByRole('region', { name: t.banner }).waitFor({ state: 'hidden' });
      } finally {
        await context.close();
      }
    },
  );

  test(
    'de, with JavaScript: a signed-in visitor changes their consent through "Cookie settings"',
    async () => {
      const t = TEXT.de;
      const owner = await createAccount(stack, { company: 'Widerruf GmbH' });
      const context = await newContext(browser, { js: true, locale: t.locale });
      try {
        const page = await context.newPage();
        await page.goto(stack.url(t.home));
        await answerConsent(page, t);
        await signIn(page, stack, owner);
        await page.goto(stack.url(t.profile));
        await page.getByRole('link', { name: t.cookieSettings }).click();
        const answered = page.waitForResponse((response) => response.request().method() === 'POST');
        await page.getByRole('region', { name: t.banner }).getByRole('button', { name: t.acceptAll }).click();
        assert.equal((await answered).status(), 200, 'the new choice is taken');
        assert.equal(new URL(page.url()).pathname, t.profile, 'still on the profile');
      } finally {
        await context.close();
      }
    },
  );

  // Without JavaScript the consent banner's form returns to the page with its query: a new
  // visitor who answers the banner on an e-mail link's page keeps the link's token.
  test(
    "de, without JavaScript: a new browser answers the consent banner on the reset link's page and the link still works",
    async () => {
      const t = TEXT.de;
      const owner = await createAccount(stack, { company: 'Neuer Browser GmbH' });
      const asking = await newContext(browser, { js: false, locale: t.locale });
      const fresh = await newContext(browser, { js: false, locale: t.locale });
      try {
        const link = await requestReset(await asking.newPage(), t, owner);
        const page = await fresh.newPage();
        await page.goto(link);
        await answerConsent(page, t);
        assert.equal(new URL(page.url()).searchParams.get('token'), new URL(link).searchParams.get('token'), 'the token is kept');
        await setNewPassword(page, t, 'my new long passphrase');
        assert.equal(new URL(page.url()).pathname, t.signIn);
        await page.getByText(t.passwordReset).waitFor();
      } finally {
        await asking.close();
        await fresh.close();
      }
    },
  );
});
