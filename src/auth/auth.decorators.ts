import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser } from '../common/scope';
import type { Role } from '../users/user.entity';

export const IS_PUBLIC = 'isPublic';
export const ROLES = 'roles';

/** No sign-in needed (login page, health, public disclosure). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only these roles may call the route; everyone signed in may when absent. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest().user);
export const OptionalUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest().user);
