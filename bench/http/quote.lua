-- wrk script: POST the issue's example configuration to /v1/quotes (no coupon: no database
-- read; the quote is computed and signed in memory).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"plan":"team","interval":"year","addons":[{"code":"extra_seats","quantity":5},' ..
           '{"code":"sso","quantity":1}],"currency":"eur","customer":{"country":"DE",' ..
           '"type":"business","vat_id":null},"coupon":null,"referral_code":null,"locale":"de"}'
