import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { AuthUser } from '../common/scope';
import type { Action } from './permissions';

export const IS_PUBLIC = 'isPublic';
export const PERMISSION = 'permission';

/**
 * No sign-in needed (sign-in itself, health, public disclosure and notice verification). Marked in the OpenAPI
 * document as `x-public`, so a mutating route is always either public or permission-checked.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));

/**
 * The action a route takes (see the table in `permissions.ts`); the auth guard refuses any role not listed for it
 * (403 `request.forbidden`). Every mutating route carries one (or `@Public()`); on a controller it applies to every
 * route without its own. Shown in the OpenAPI document as `x-permission`.
 */
export const Can = (action: Action) => applyDecorators(SetMetadata(PERMISSION, action), ApiExtension('x-permission', action));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest().user);
export const OptionalUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest().user);
