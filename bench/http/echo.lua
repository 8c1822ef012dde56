-- wrk script: POST a small configurator-sized JSON document to /echo.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"plan":"team","interval":"year","addons":[{"code":"extra_seats","quantity":5},' ..
           '{"code":"sso","quantity":1}],"country":"DE","vat_id":null}'
