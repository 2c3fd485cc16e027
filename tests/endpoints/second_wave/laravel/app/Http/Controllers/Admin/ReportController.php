<?php

namespace App\Http\Controllers\Admin;

use App\Http\Controllers\Controller;

class ReportController extends Controller
{
    public function index(int $year, ?int $month = null)
    {
        return view('admin.reports', compact('year', 'month'));
    }
}
