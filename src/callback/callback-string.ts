import { invalidCallback, parseCallbackParameter } from '../oss/callback.js';
import { quote } from '../quote.js';
import { checkCallbackBody } from './body-template.js';
import { normalizeCallbackUrl } from './callback-url.js';

/**
 * A callback parameter given already built (base64): refused unless OSS would accept it and createCallback
 * could have written it (URLs percent-encoded, no user name or password, no `$(name)` variable).
 */
export function checkCallbackString(value: string, argument: string): string {
  const config = parseCallbackParameter(value, argument);
  for (const url of config.urls) {
    if (normalizeCallbackUrl(url, `${argument}: callbackUrl`) !== url) {
      throw invalidCallback(
        `${argument}: callbackUrl ${quote(url)} must be percent-encoded (UTF-8), as OSS requires; createCallback does it for you`,
      );
    }
  }
  checkCallbackBody(config.body, `${argument}: callbackBody`);
  return value;
}
