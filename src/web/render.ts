import { ParseUUIDPipe } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/app-error';
import { Html } from '../common/html';
import { AuthUser } from '../common/scope';
import { layout } from './layout';

/** A request after the session middleware: the page's CSRF token (null without a session). */
export type WebRequest = Request & { csrfToken?: string | null; sessionToken?: string };

/** One rendered page: what the layout needs around the body. */
export interface RenderedPage {
  title: string;
  body: Html;
  /** the signed-in viewer (the top bar shows who and a logout form); none on public pages */
  user?: AuthUser;
  /** 200 unless told */
  status?: number;
  /** 面包屑: the pages above this one, outermost first (首页 is added in front, this page's title at the end) */
  crumbs?: { href: string; label: string }[];
}

/** The CSRF token of this response's request ('' without a session), for the forms a page renders. */
export function csrfOf(res: Response): string {
  return (res.req as WebRequest | undefined)?.csrfToken ?? '';
}

/** Sends a page inside the layout: status, title, viewer, CSRF token (taken from the request) and body. */
export function render(res: Response, page: RenderedPage): void {
  res.status(page.status ?? 200).type('html').send(layout({
    title: page.title, user: page.user, csrfToken: csrfOf(res) || null, path: res.req?.path, body: page.body, crumbs: page.crumbs,
    unread: typeof res.locals?.unreadNotifications === 'number' ? res.locals.unreadNotifications : undefined,
  }));
}

/**
 * `@Param('id', uuid('hazard.not_found'))`: a path id that is not a UUID is a 404 with the resource's own code (the
 * same answer as an id that does not exist), before any handler runs.
 */
export function uuid(notFoundCode: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(notFoundCode) });
}
