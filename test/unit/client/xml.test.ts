import { expect, it } from 'vitest';
import { xmlValue, xmlValues } from '../../../src/client/xml.js';

const page = `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult><UploadId>0004B999EF5A239BB9138C6227D6****</UploadId><IsTruncated>true</IsTruncated>
<Part><PartNumber>1</PartNumber><ETag>"3349DC700140D7F86A0784842780****"</ETag><Size>102400</Size></Part>
<Part><PartNumber>2</PartNumber><ETag>&quot;8C315065167132444177411FDA14****&quot;</ETag><Size>5</Size></Part>
</ListPartsResult>`;

it('reads every element of a name, in order, entities decoded', () => {
  const parts = xmlValues(page, 'Part');
  expect(parts.map((part) => xmlValue(part, 'ETag'))).toEqual([
    '"3349DC700140D7F86A0784842780****"',
    '"8C315065167132444177411FDA14****"',
  ]);
  expect(parts.map((part) => xmlValue(part, 'Size'))).toEqual(['102400', '5']);
  expect(xmlValue(page, 'IsTruncated')).toBe('true');
  expect(xmlValue(page, 'NextPartNumberMarker')).toBeUndefined();
  expect(
    xmlValue('<Message>a &lt;b&gt; &amp; &#34;c&#x22; &apos;d&apos; &unknown;</Message>', 'Message'),
  ).toBe('a <b> & "c" \'d\' &unknown;');
});
