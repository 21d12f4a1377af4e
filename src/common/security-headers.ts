import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/env';

/** Swagger UI's page carries `<style>` blocks and style attributes (its scripts are files): only there is inline style allowed. */
const DOCS = /^\/api\/docs(?:\/|$)/;
/** The only responses a browser or proxy may keep: the versioned static assets (no personal data). */
const CACHEABLE = /^\/static\//;

/**
 * The page CSP. Nothing inline: the pages load /static/*.js and *.css only, and the SVG charts style by class.
 * Photos are downscaled on the device (blob: previews) and the signature pad exports a data: URL; the inspection
 * form talks to the API (connect-src) and registers /sw.js (worker-src).
 */
function directives(opts: { inlineStyle: boolean; https: boolean }): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': opts.inlineStyle ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    // Over plain HTTP (a LAN install, `npm start`) upgrading would break every asset; behind HTTPS it is wanted.
    'upgrade-insecure-requests': opts.https ? [] : null,
  };
}

function headers(opts: { inlineStyle: boolean; https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directives(opts) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * Signed-in pages, API answers and stored photos/PDFs carry personal data: nothing but /static may be stored by a
 * browser or proxy. Enforced when the headers are written, so a route that sets its own caching cannot weaken it.
 * (The inspection form's offline copy lives in the service worker's Cache Storage, which no-store does not affect.)
 */
function noStore(req: Request, res: Response, next: NextFunction): void {
  if (CACHEABLE.test(req.path)) return next();
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    this.setHeader('Cache-Control', 'no-store');
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
  next();
}

const PERMISSIONS_POLICY = 'camera=(self), geolocation=(self), microphone=(), payment=()';

/** helmet with a CSP the pages pass, frame-ancestors 'none', nosniff, Referrer-Policy, and no-store caching. */
export function applySecurityHeaders(app: NestExpressApplication, config: AppConfig): void {
  const https = config.PUBLIC_URL.startsWith('https:') || config.COOKIE_SECURE;
  const pages = headers({ inlineStyle: false, https });
  const docs = headers({ inlineStyle: true, https });
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    (DOCS.test(req.path) ? docs : pages)(req, res, next);
  });
  app.use(noStore);
}
