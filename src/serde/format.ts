// Formats of keys and values on a topic, as named in WITH (KEY_FORMAT=..., VALUE_FORMAT=...).

export type FormatName = 'JSON' | 'KAFKA' | 'DELIMITED' | 'NONE' | 'AVRO' | 'PROTOBUF' | 'PROTOBUF_NOSR' | 'JSON_SR';

export const SCHEMA_REGISTRY_FORMATS: ReadonlySet<FormatName> = new Set(['AVRO', 'PROTOBUF', 'JSON_SR']);
export const SUPPORTED_FORMATS: ReadonlySet<FormatName> = new Set(['JSON', 'KAFKA', 'DELIMITED', 'NONE']);

export type SerdeFeature = 'WRAP_SINGLES' | 'UNWRAP_SINGLES';

export interface FormatInfo {
  readonly format: FormatName;
  /** Format properties, e.g. { delimiter: '|' } for DELIMITED. */
  readonly properties: Readonly<Record<string, string>>;
}

export type WindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

export interface WindowInfo {
  readonly type: WindowType;
  /** Window size in ms for TUMBLING/HOPPING; undefined for SESSION. */
  readonly sizeMs: number | undefined;
}

export interface KeyFormat {
  readonly info: FormatInfo;
  readonly features: readonly SerdeFeature[];
  readonly window: WindowInfo | undefined;
}

export interface ValueFormat {
  readonly info: FormatInfo;
  readonly features: readonly SerdeFeature[];
}
