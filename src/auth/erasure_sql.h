// What erasing a person (DELETE /v1/me, Art. 17 GDPR) and closing a company (DELETE
// /v1/company) write, as the SET lists of their UPDATEs. The API's routes and the worker's
// sweep of sign-ups never confirmed (maintenance.cleanup) share them, so both erase alike.
// Unqualified column names: the statement's FROM list must not have columns of these names.
#pragma once

// UPDATE users SET CODEZERO_ERASE_USER_SET WHERE ...
#define CODEZERO_ERASE_USER_SET                                                    \
  "email = 'erased-' || id::text || '@invalid', name = '', password_hash = NULL, " \
  "anonymized_at = now(), disabled_at = coalesce(disabled_at, now())"

// UPDATE companies SET CODEZERO_CLOSE_COMPANY_SET WHERE ...
#define CODEZERO_CLOSE_COMPANY_SET \
  "deleted_at = now(), name = 'deleted', vat_id = NULL, address = '{}'"
