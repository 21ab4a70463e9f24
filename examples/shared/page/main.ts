// The page's script as the Node examples serve it (bundled at start by page-assets.ts).
import { mountUploadPage } from './upload-page.js';

const root = document.querySelector<HTMLElement>('#app');
if (root) mountUploadPage(root);
