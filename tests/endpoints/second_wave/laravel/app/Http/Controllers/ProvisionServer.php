<?php

namespace App\Http\Controllers;

class ProvisionServer extends Controller
{
    public function __invoke()
    {
        return response()->noContent();
    }
}
