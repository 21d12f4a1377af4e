import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: '用户名 / username' }) @IsString() @IsNotEmpty() @MaxLength(64) username: string;
  @ApiProperty({ description: '密码 / password' }) @IsString() @IsNotEmpty() @MaxLength(128) password: string;
}
