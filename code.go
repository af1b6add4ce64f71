package wxads

// Platform error codes the server emits. Every one must exist in the
// errcode registry (a test checks it); handlers use these names, never literals.
const (
	CodeOK         = 0
	CodeSystemBusy = -1 // unexpected failure; retry with backoff

	// WeChat global codes (seed 001).
	CodeInvalidCredential   = 40001 // wrong secret; superseded token past grace
	CodeInvalidGrantType    = 40002
	CodeInvalidAppID        = 40013
	CodeInvalidURL          = 40066 // unknown path (HTTP 404)
	CodeInvalidAccessToken  = 40014
	CodeIPNotWhitelisted    = 40164
	CodeMissingAccessToken  = 41001
	CodeMissingAppID        = 41002
	CodeMissingSecret       = 41004
	CodeAccessTokenExpired  = 42001
	CodeRequireGET          = 43001
	CodeRequirePOST         = 43002
	CodeEmptyBody           = 44002
	CodeBodyTooLarge        = 45002
	CodeDailyQuota          = 45009
	CodeTooFrequent         = 45011
	CodeBadJSON             = 47001
	CodeAPIUnauthorized     = 48001
	CodeActionSetRateLimit  = 900355202
	CodeMarketingSystemBusy = 30000

	// Marketing API codes (seed 000).
	CodeRequired        = 18001
	CodeWrongType       = 18002
	CodeTooBig          = 18003
	CodeTooSmall        = 18004
	CodeBadFormat       = 18005
	CodeBadChars        = 18006
	CodeTooLong         = 18007
	CodeTooShort        = 18008
	CodeNotInEnum       = 18009
	CodeTooMany         = 18011
	CodeTooFew          = 18012
	CodeTooManyDecimals = 18013
	CodeEmptyString     = 31001
	CodeNotAccessible   = 31011
	CodeDuplicateName   = 31013
	CodeSpanTooLong     = 32108

	// Tencent Marketing API v1.1 auth codes (SPEC §4, §9).
	CodeV11TokenExpired = 11000
	CodeV11TokenInvalid = 11002
	CodeV11TokenMissing = 12000

	// Tencent OAuth 2.0 codes (SPEC §10), as Tencent's v3.0 table has them.
	CodeOAuthTokenMalformed   = 11004
	CodeOAuthTokenEmpty       = 11005
	CodeOAuthClientInvalid    = 11007
	CodeOAuthTooFrequent      = 11008
	CodeOAuthCodeExpired      = 11009
	CodeOAuthRefreshMalformed = 11010
	CodeOAuthRefreshExpired   = 11012
	CodeOAuthCodeUsed         = 11013
	CodeOAuthOutOfScope       = 11014
	CodeOAuthAppQPS           = 11016
	CodeOAuthAppDaily         = 11017
	CodeOAuthAccountQPS       = 11018
	CodeOAuthAccountDaily     = 11019
)

// EmittedCodes lists every code above; the registry test walks it.
var EmittedCodes = []int{
	CodeOK, CodeSystemBusy,
	CodeInvalidCredential, CodeInvalidGrantType, CodeInvalidAppID, CodeInvalidURL, CodeInvalidAccessToken,
	CodeIPNotWhitelisted, CodeMissingAccessToken, CodeMissingAppID, CodeMissingSecret,
	CodeAccessTokenExpired, CodeRequireGET, CodeRequirePOST, CodeEmptyBody, CodeBodyTooLarge,
	CodeDailyQuota, CodeTooFrequent, CodeBadJSON, CodeAPIUnauthorized, CodeActionSetRateLimit,
	CodeMarketingSystemBusy,
	CodeRequired, CodeWrongType, CodeTooBig, CodeTooSmall, CodeBadFormat, CodeBadChars,
	CodeTooLong, CodeTooShort, CodeNotInEnum, CodeTooMany, CodeTooFew, CodeTooManyDecimals,
	CodeEmptyString, CodeNotAccessible, CodeDuplicateName, CodeSpanTooLong,
	CodeV11TokenExpired, CodeV11TokenInvalid, CodeV11TokenMissing,
	CodeOAuthTokenMalformed, CodeOAuthTokenEmpty, CodeOAuthClientInvalid, CodeOAuthTooFrequent,
	CodeOAuthCodeExpired, CodeOAuthRefreshMalformed, CodeOAuthRefreshExpired, CodeOAuthCodeUsed,
	CodeOAuthOutOfScope, CodeOAuthAppQPS, CodeOAuthAppDaily, CodeOAuthAccountQPS, CodeOAuthAccountDaily,
}
