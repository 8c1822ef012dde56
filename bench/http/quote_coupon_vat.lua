-- wrk script: POST a quote with a coupon and an EU VAT ID to /v1/quotes: an Austrian business,
-- reverse charged, LAUNCH20 off. The coupon comes from the loop's copy of the discounts and the
-- VAT ID is checked by format and check digits (VIES is not configured here), so the quote is
-- still computed and sealed in memory.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"plan":"team","interval":"year","addons":[{"code":"extra_seats","quantity":5},' ..
           '{"code":"sso","quantity":1}],"currency":"eur","customer":{"country":"AT",' ..
           '"type":"business","vat_id":"ATU12345675"},"coupon":"LAUNCH20","referral_code":null,' ..
           '"locale":"de"}'
