'use client';
// The shared page, mounted in a client component: it talks to this app's route handlers under /api.
import { useEffect, useRef } from 'react';
import { mountUploadPage } from '../../shared/page/upload-page.js';

export default function UploadPage() {
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    if (root.current) mountUploadPage(root.current);
  }, []);
  return <main ref={root} />;
}
