; codemap routes for TypeScript (and TSX): the syntactic anchors the endpoint engine reads.
; inherits: javascript
; TypeScript's grammar extends JavaScript's: every JavaScript anchor applies as written.
