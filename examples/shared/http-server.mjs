// Starting and stopping the examples' Node HTTP servers. Plain JavaScript, shared with examples/demo.

/**
 * Listens and resolves to the server's base URL (`http://host:port`, which is also the page's origin).
 * A port in use rejects with a message that says which variable chooses another.
 */
export function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const fail = (error) => reject(error.code === 'EADDRINUSE' ? portInUse(port, host, error) : error);
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve(`http://${host}:${server.address().port}`);
    });
  });
}

/** The error for a port another process holds: what to do about it, with the original as its cause. */
export function portInUse(port, host, cause) {
  return Object.assign(
    new Error(
      `Port ${port} on ${host} is already in use (another example still running?). ` +
        `Stop that process, or choose a free port with the PORT environment variable, e.g. PORT=${port + 1}.`,
      { cause },
    ),
    { code: 'EADDRINUSE' },
  );
}

/** Drops kept-alive connections (the Alibaba SDKs keep them), then waits for the server to close. */
export function closeServer(server) {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
