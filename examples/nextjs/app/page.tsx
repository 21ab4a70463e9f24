'use client';
// The shared page, mounted in a client component: it talks to this app's route handlers under /api.
import { useEffect, useRef } from 'react';

export default function UploadPage() {
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    // Loaded in the browser only: ali-oss's browser build needs `window` as soon as it is evaluated.
    import('../../shared/page/upload-page.js').then(({ mountUploadPage }) => {
      if (root.current) mountUploadPage(root.current);
    });
  }, []);
  return <main ref={root} />;
}
