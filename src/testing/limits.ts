/**
 * The sizes the endpoint accepts, OSS's own where OSS documents one (its error-code pages, cited by EC
 * number), and the endpoint's where it keeps everything in memory. Every limit is checked before the
 * input it bounds is parsed.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** PutObject, PostObject and UploadPart take at most 5 GB (EC 0006-00000003). */
export const OSS_MAX_OBJECT_SIZE = 5 * GiB;
/** What the endpoint holds per object, part or form file unless `maxObjectSize` says otherwise. */
export const DEFAULT_MAX_OBJECT_SIZE = 256 * MiB;

/** PostObject: a form field's name (EC 0006-00000110) and value, and all the values before the file (EC 0006-00000112). */
export const MAX_FORM_FIELD_NAME = 8 * KiB;
export const MAX_FORM_FIELD_VALUE = 2 * MiB;
export const MAX_FORM_FIELDS = 8 * MiB;
/** The headers of one form part: a name and a file name at their longest, and room for the rest. */
export const MAX_FORM_PART_HEADERS = 2 * MAX_FORM_FIELD_NAME + KiB;
/** What a form adds around its fields and file: part headers and delimiters. */
export const FORM_OVERHEAD = 64 * KiB;

/** Part numbers run 1..10,000; every part but the last has at least 100 KB. */
export const MAX_PARTS = 10_000;
export const MIN_PART_SIZE = 100 * KiB;
/**
 * OSS documents no size for the CompleteMultipartUpload body. 10,000 parts, each listed with room to
 * spare (a pretty-printed `<Part>` with an escaped ETag takes about 130 bytes).
 */
export const MAX_COMPLETE_BODY = MAX_PARTS * 256;

/** The `x-oss-meta-*` names and values of one object, together (EC 0011-00000002). */
export const MAX_USER_METADATA = 8 * KiB;

/** The body of a request whose operation takes none (GET, HEAD, DELETE, initiate, preflight), or of an STS call. */
export const MAX_SMALL_BODY = 64 * KiB;

/**
 * Multipart uploads never completed nor aborted: the endpoint drops the oldest beyond this many, beyond
 * this many times `maxObjectSize` of parts, and a day after they were initiated (by the endpoint's clock),
 * as a lifecycle rule would.
 */
export const MAX_UPLOADS_IN_PROGRESS = 1000;
export const MAX_PENDING_PARTS_FACTOR = 4;
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;
