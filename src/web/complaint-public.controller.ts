import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { SameOriginGuard } from '../auth/same-origin';
import { AppError } from '../common/app-error';
import { receiveComplaint } from '../complaints/complaint-upload';
import { ComplaintsService } from '../complaints/complaints.service';
import { complaintFiledPage, complaintTrackPage, publicComplaintFormPage } from './complaint-pages';
import { errorLines, filedView, publicFormView, trackView } from './complaint-view';
import { csrfOf, render } from './render';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A browser gets the page again with the refusals; an API client (no `Accept: text/html`) the one error shape. */
function wantsPage(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * 投诉举报, public side: the form (from /public and the safety board's QR code, `?institution=<id>`), the one-time
 * tracking code, and the tracking page. No account: a cross-site post is refused by its Origin (SameOriginGuard),
 * a signed-in browser's post carries its CSRF token like any other. Nothing here is cached (the code is on the page).
 */
@ApiExcludeController()
@Public()
@Controller('public/complaints')
export class ComplaintPublicController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Get('new')
  async form(@Query('institution') institution: string | undefined, @Res() res: Response) {
    await this.renderForm(res, 200, typeof institution === 'string' && UUID.test(institution) ? institution : undefined, {}, []);
  }

  /** The client address is Express's `req.ip`, under the app's `trust proxy` setting (bootstrap.ts). */
  @Post()
  @UseGuards(SameOriginGuard)
  async file(@Req() req: Request, @Res() res: Response) {
    const address = req.ip ?? 'unknown';
    let fields: Record<string, string> = {};
    try {
      await this.complaints.assertAddressMayFile(address);
      const limits = await this.complaints.limits();
      const received = await receiveComplaint(req, { maxPhotos: limits.maxPhotos, maxPhotoBytes: limits.maxPhotoBytes, maxTextChars: limits.maxDescriptionChars });
      fields = received.fields;
      const filed = await this.complaints.file(received, address);
      res.setHeader('Cache-Control', 'no-store');
      if (!wantsPage(req)) {
        res.status(201).json(filed);
        return;
      }
      render(res, { status: 201, title: '投诉已提交', body: complaintFiledPage(filedView(filed)) });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || !wantsPage(req)) {
        // the rest of a refused body is read and dropped, so the client gets the answer
        req.resume();
        throw err;
      }
      req.resume();
      const { _csrf: _token, ...draft } = fields;
      await this.renderForm(res, err.status, undefined, draft, errorLines(err.code, err.params, err.fields));
    }
  }

  @Get('track')
  trackForm(@Res() res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    render(res, { title: '投诉处理结果查询', body: complaintTrackPage(trackView(null), csrfOf(res)) });
  }

  /** Looked up by a POST, so the code never sits in a URL, a history or a Referer. */
  @Post('track')
  @UseGuards(SameOriginGuard)
  async track(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    try {
      const found = await this.complaints.track(typeof body?.code === 'string' ? body.code : '');
      if (!wantsPage(req)) {
        res.status(200).json(found);
        return;
      }
      render(res, { title: '投诉处理结果查询', body: complaintTrackPage(trackView(found), csrfOf(res)) });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || !wantsPage(req)) throw err;
      render(res, { status: err.status, title: '投诉处理结果查询', body: complaintTrackPage(trackView(null, errorLines(err.code, err.params, err.fields)), csrfOf(res)) });
    }
  }

  private async renderForm(res: Response, status: number, institution: string | undefined, draft: Record<string, string>, errors: ReturnType<typeof errorLines>) {
    const [data, limits] = await Promise.all([this.complaints.formInstitutions(institution ?? draft.institutionId), this.complaints.limits()]);
    // after a refusal the institution the visitor chose stays chosen, in the list
    const view = publicFormView(institution ? data : { ...data, selected: null }, limits, draft, errors, csrfOf(res));
    render(res, { status, title: '投诉举报', body: publicComplaintFormPage(view) });
  }
}
